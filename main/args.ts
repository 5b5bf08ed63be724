import path from 'node:path';

export const WORKSPACE_EXTENSION = '.fscope';

/**
 * The workspace named on a command line: `--workspace=PATH` (what `npm start` passes), `--workspace PATH`,
 * or a bare `*.fscope` path (a double-click on a workspace file). Relative paths are resolved against the
 * directory the command was started in, which for a second instance is not this process's.
 */
export function workspaceFromArgv(argv: readonly string[], cwd: string): string | null {
  let found: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--workspace=')) found = arg.slice('--workspace='.length);
    else if (arg === '--workspace' && i + 1 < argv.length) found = argv[++i] as string;
    else if (!arg.startsWith('-') && arg.toLowerCase().endsWith(WORKSPACE_EXTENSION)) found = arg;
  }
  return found ? path.resolve(cwd, found) : null;
}

/** The data a second instance hands to the first one through the single-instance lock. */
export interface SecondInstanceData {
  workspace: string | null;
}

/** Reads the lock's additional data defensively: it comes from another process. */
export function secondInstanceWorkspace(data: unknown, argv: readonly string[], cwd: string): string | null {
  if (data && typeof data === 'object' && 'workspace' in data) {
    const { workspace } = data as { workspace: unknown };
    if (typeof workspace === 'string' && path.isAbsolute(workspace)) return workspace;
  }
  return workspaceFromArgv(argv, cwd);
}

/** A path chosen in a save dialog, with the workspace extension added when the user left it out. */
export function withWorkspaceExtension(file: string): string {
  return file.toLowerCase().endsWith(WORKSPACE_EXTENSION) ? file : `${file}${WORKSPACE_EXTENSION}`;
}
