import os from 'node:os';
import path from 'node:path';
import type { ApiMethodPath } from '../../../shared/api-methods';

/**
 * A browser has no file dialog that yields a path, so the analyst types paths. Relative ones (the
 * renderer's one-click demo sends `demo.fscope`) are taken inside the host's workspace folder, and `~/` is the
 * home folder, as in a shell.
 */
export function resolveTypedPath(typed: string, workspaceDir: string): string {
  const expanded = typed === '~' || typed.startsWith('~/') ? path.join(os.homedir(), typed.slice(1)) : typed;
  return path.resolve(workspaceDir, expanded);
}

/**
 * Resolves the path arguments of a call: the workspace (or the previewed file) first, then the imported files
 * or a report's or digest's output file.
 */
export function resolvePathArguments(
  method: ApiMethodPath,
  args: unknown[],
  workspaceDir: string,
): unknown[] {
  if (method === 'jobs.cancel') return args;
  const resolved = [...args];
  if (typeof resolved[0] === 'string') resolved[0] = resolveTypedPath(resolved[0], workspaceDir);
  const request = resolved[1];
  const writesFile = method === 'reports.export' || method === 'alerts.exportDigest';
  if (writesFile && request && typeof request === 'object' && 'out' in request) {
    const out = (request as { out: unknown }).out;
    if (typeof out === 'string') resolved[1] = { ...request, out: resolveTypedPath(out, workspaceDir) };
  }
  if (method === 'ingest.importFiles' && Array.isArray(resolved[1]))
    resolved[1] = resolved[1].map((file: unknown) =>
      typeof file === 'string' ? resolveTypedPath(file, workspaceDir) : file,
    );
  return resolved;
}
