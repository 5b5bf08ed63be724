import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions, type MenuContext } from '../../main/menu';

function actions(log: string[]): MenuActions {
  return {
    openWorkspace: () => log.push('open'),
    createWorkspace: () => log.push('create'),
    openRecent: (w) => log.push(`recent ${w}`),
    clearRecent: () => log.push('clear'),
    openDocumentation: () => log.push('docs'),
  };
}

const base: MenuContext = { platform: 'linux', appName: 'Funnelscope', recent: [], development: false };

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}

function find(items: MenuItemConstructorOptions[], label: string) {
  return items.find((i) => i.label === label);
}

test('File offers new, open and the recent workspaces, each wired to its action', () => {
  const log: string[] = [];
  const recentPath = path.resolve('/data/Q3 & Q4.fscope');
  const template = menuTemplate({ ...base, recent: [{ path: recentPath, openedAt: 1 }] }, actions(log));
  const file = submenu(find(template, '&File'));
  find(file, 'New Workspace…')?.click?.({} as never, undefined, {} as never);
  find(file, 'Open Workspace…')?.click?.({} as never, undefined, {} as never);
  const recent = submenu(find(file, 'Open Recent'));
  assert.match(recent[0]?.label ?? '', /^Q3 && Q4\.fscope — /);
  recent[0]?.click?.({} as never, undefined, {} as never);
  find(recent, 'Clear recent workspaces')?.click?.({} as never, undefined, {} as never);
  assert.deepEqual(log, ['create', 'open', `recent ${recentPath}`, 'clear']);
});

test('no DevTools or reload in a packaged app; both in development', () => {
  const roles = (development: boolean) =>
    submenu(find(menuTemplate({ ...base, development }, actions([])), '&View')).map((i) => i.role);
  assert.ok(!roles(false).includes('toggleDevTools'));
  assert.ok(!roles(false).includes('reload'));
  assert.ok(roles(true).includes('toggleDevTools'));
});

test('an empty recent list says so; macOS gets the app menu', () => {
  const file = submenu(find(menuTemplate(base, actions([])), '&File'));
  assert.equal(submenu(find(file, 'Open Recent'))[0]?.enabled, false);
  const mac = menuTemplate({ ...base, platform: 'darwin' }, actions([]));
  assert.equal(mac[0]?.role, 'appMenu');
});
