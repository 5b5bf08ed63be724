/** Recently opened workspaces, kept in the renderer's own storage (no file outside the workspace is written). */
const KEY = 'funnelscope.recentWorkspaces';
const MAX = 8;

export interface RecentWorkspace {
  path: string;
  openedAt: number;
}

export function loadRecent(): RecentWorkspace[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(
          (r): r is RecentWorkspace => typeof r?.path === 'string' && typeof r?.openedAt === 'number',
        )
      : [];
  } catch {
    return [];
  }
}

export function rememberRecent(path: string): RecentWorkspace[] {
  const next = [{ path, openedAt: Date.now() }, ...loadRecent().filter((r) => r.path !== path)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}

export function forgetRecent(path: string): RecentWorkspace[] {
  const next = loadRecent().filter((r) => r.path !== path);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}
