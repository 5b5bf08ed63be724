import { CONTENT_SECURITY_POLICY } from '../../../main/security';

/**
 * The app's own Content-Security-Policy (main/security.ts), with one change: the page's only connection is
 * the host's loopback WebSocket instead of Electron's IPC, so `connect-src` names exactly that origin.
 */
export function contentSecurityPolicy(wsOrigin: string): string {
  const policy = CONTENT_SECURITY_POLICY.replace(/connect-src [^;]+/, `connect-src ${wsOrigin}`);
  if (policy === CONTENT_SECURITY_POLICY || !policy.includes(`connect-src ${wsOrigin}`))
    throw new Error('The app CSP has no connect-src directive to point at the host.');
  return policy;
}
