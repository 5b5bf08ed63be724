import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addRecent,
  MAX_RECENT,
  parseRecent,
  RecentStore,
  removeRecent,
  serializeRecent,
} from '../../main/recent';

const abs = (name: string) => path.resolve('/work/ws', name);

test('opening a workspace moves it to the front without duplicates', () => {
  let list = addRecent([], abs('a.fscope'), 1);
  list = addRecent(list, abs('b.fscope'), 2);
  list = addRecent(list, abs('a.fscope'), 3);
  assert.deepEqual(list, [
    { path: abs('a.fscope'), openedAt: 3 },
    { path: abs('b.fscope'), openedAt: 2 },
  ]);
  assert.deepEqual(removeRecent(list, abs('a.fscope')), [{ path: abs('b.fscope'), openedAt: 2 }]);
});

test('relative paths are stored absolute, and the list is capped', () => {
  let list = addRecent([], 'rel.fscope', 1);
  assert.equal(list[0]?.path, path.resolve('rel.fscope'));
  for (let i = 0; i < MAX_RECENT + 5; i++) list = addRecent(list, abs(`w${i}.fscope`), 10 + i);
  assert.equal(list.length, MAX_RECENT);
  assert.equal(list[0]?.path, abs(`w${MAX_RECENT + 4}.fscope`));
});

test('a damaged file loses only its bad entries', () => {
  assert.deepEqual(parseRecent(''), []);
  assert.deepEqual(parseRecent('{not json'), []);
  assert.deepEqual(parseRecent('{"recent": 3}'), []);
  const text = JSON.stringify({
    recent: [
      { path: abs('old.fscope'), openedAt: 1 },
      { path: 'relative.fscope', openedAt: 5 },
      { path: abs('new.fscope'), openedAt: 9 },
      { path: abs('old.fscope'), openedAt: 0 },
      { path: 42, openedAt: 3 },
      null,
    ],
  });
  assert.deepEqual(parseRecent(text), [
    { path: abs('new.fscope'), openedAt: 9 },
    { path: abs('old.fscope'), openedAt: 1 },
  ]);
  const list = [{ path: abs('x.fscope'), openedAt: 4 }];
  assert.deepEqual(parseRecent(serializeRecent(list)), list);
});

test('the store persists across starts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-recent-'));
  try {
    const file = path.join(dir, 'nested', 'recent-workspaces.json');
    const store = new RecentStore(file);
    assert.deepEqual(store.list, []);
    store.add(abs('a.fscope'), 1);
    store.add(abs('b.fscope'), 2);
    assert.deepEqual(
      new RecentStore(file).list.map((r) => r.path),
      [abs('b.fscope'), abs('a.fscope')],
    );
    store.remove(abs('b.fscope'));
    assert.deepEqual(
      new RecentStore(file).list.map((r) => r.path),
      [abs('a.fscope')],
    );
    store.clear();
    assert.deepEqual(new RecentStore(file).list, []);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['recent-workspaces.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
