/**
 * The e2e host as a command: serves the built renderer and the API on 127.0.0.1 for a browser.
 *   npx tsx test/e2e/host/serve.ts [--workspace-dir DIR] [--port N] [--workspace FILE]
 * Build the renderer first: npx vite build --config renderer/vite.config.ts
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHost } from './host';

const { values } = parseArgs({
  options: {
    'workspace-dir': { type: 'string' },
    port: { type: 'string' },
    workspace: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npx tsx test/e2e/host/serve.ts [--workspace-dir DIR] [--port N] [--workspace FILE]\n' +
      '  --workspace-dir  where typed relative paths and the one-click demo go (default ~/Funnelscope)\n' +
      '  --workspace      a workspace the page opens at start\n',
  );
  process.exit(0);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, not "${values.port}".\n`);
  process.exit(2);
}
const workspaceDir = path.resolve(values['workspace-dir'] ?? path.join(os.homedir(), 'Funnelscope'));

try {
  const host = await startHost({ workspaceDir, port });
  // The page opens the workspace named in its address, as it does in the app.
  const url = values.workspace
    ? host.url.replace('/#', `/?workspace=${encodeURIComponent(path.resolve(values.workspace))}#`)
    : host.url;
  process.stdout.write(
    `Funnelscope is served on ${host.origin} (loopback only).\n` +
      `Open this address in Chromium (it carries this run's access token):\n  ${url}\n` +
      `Typed relative paths and the demo workspace go to ${host.workspaceDir}\nPress Ctrl+C to stop.\n`,
  );
  const stop = () => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
