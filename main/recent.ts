import fs from 'node:fs';
import path from 'node:path';

export const MAX_RECENT = 10;

export interface RecentWorkspace {
  path: string;
  /** Epoch ms of the last time it was opened. */
  openedAt: number;
}

/** The list with `workspace` moved (or added) to the front, without duplicates, at most MAX_RECENT long. */
export function addRecent(
  list: readonly RecentWorkspace[],
  workspace: string,
  now: number,
): RecentWorkspace[] {
  const resolved = path.resolve(workspace);
  return [{ path: resolved, openedAt: now }, ...list.filter((r) => r.path !== resolved)].slice(0, MAX_RECENT);
}

export function removeRecent(list: readonly RecentWorkspace[], workspace: string): RecentWorkspace[] {
  const resolved = path.resolve(workspace);
  return list.filter((r) => r.path !== resolved);
}

function isRecent(value: unknown): value is RecentWorkspace {
  if (!value || typeof value !== 'object') return false;
  const { path: p, openedAt } = value as Record<string, unknown>;
  return (
    typeof p === 'string' && path.isAbsolute(p) && typeof openedAt === 'number' && Number.isFinite(openedAt)
  );
}

/**
 * The stored list, newest first. A damaged or hand-edited file loses only its bad entries: a broken recent
 * list must never keep the app from starting.
 */
export function parseRecent(text: string): RecentWorkspace[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const entries = data && typeof data === 'object' && 'recent' in data ? data.recent : null;
  if (!Array.isArray(entries)) return [];
  const valid = entries.filter(isRecent).sort((a, b) => b.openedAt - a.openedAt);
  const seen = new Set<string>();
  return valid.filter((r) => !seen.has(r.path) && seen.add(r.path)).slice(0, MAX_RECENT);
}

export function serializeRecent(list: readonly RecentWorkspace[]): string {
  return `${JSON.stringify({ version: 1, recent: list }, null, 2)}\n`;
}

/** The recent workspaces, kept in a JSON file in the app's user-data folder. */
export class RecentStore {
  private entries: RecentWorkspace[];

  constructor(private readonly file: string) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      // First start: no list yet.
    }
    this.entries = parseRecent(text);
  }

  get list(): readonly RecentWorkspace[] {
    return this.entries;
  }

  add(workspace: string, now = Date.now()): void {
    this.save(addRecent(this.entries, workspace, now));
  }

  remove(workspace: string): void {
    this.save(removeRecent(this.entries, workspace));
  }

  clear(): void {
    this.save([]);
  }

  /** Written to a temporary file and renamed over the old one, so a crash never leaves half a list. */
  private save(entries: RecentWorkspace[]): void {
    this.entries = entries;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, serializeRecent(entries), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
