import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentWorkspace } from './recent';

/** What the menu can ask the app to do; index.ts implements it. */
export interface MenuActions {
  openWorkspace(): void;
  createWorkspace(): void;
  openRecent(workspace: string): void;
  clearRecent(): void;
  openDocumentation(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  recent: readonly RecentWorkspace[];
  /** DevTools and reload exist in development builds only. */
  development: boolean;
}

function recentItems(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  if (context.recent.length === 0) return [{ label: 'No recent workspaces', enabled: false }];
  return [
    ...context.recent.map((r): MenuItemConstructorOptions => ({
      // The file name first: long paths are cut off in menus. `&` would become an access key.
      label: `${path.basename(r.path)} — ${path.dirname(r.path)}`.replaceAll('&', '&&'),
      click: () => actions.openRecent(r.path),
    })),
    { type: 'separator' },
    { label: 'Clear recent workspaces', click: () => actions.clearRecent() },
  ];
}

/**
 * The application menu as a plain template (built into a Menu by index.ts), so its content is tested without
 * Electron. Standard roles give the usual shortcuts and platform behaviour.
 */
export function menuTemplate(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = context.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Workspace…', accelerator: 'CmdOrCtrl+N', click: () => actions.createWorkspace() },
      { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
      { label: 'Open Recent', submenu: recentItems(context, actions) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(context.development
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Documentation', click: () => actions.openDocumentation() },
      ...(mac ? [] : [{ role: 'about' } as const]),
    ],
  };
  return [
    ...(mac ? [{ label: context.appName, role: 'appMenu' } as const] : []),
    file,
    { label: '&Edit', role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
