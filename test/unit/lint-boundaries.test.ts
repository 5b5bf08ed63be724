import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import folderBoundaries from '../../build/eslint/folder-boundaries.js';

const fixtureRoot = path.resolve('test/fixtures/lint-boundary');

async function lint(file: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: fixtureRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { funnelscope: { rules: { 'folder-boundaries': folderBoundaries } } },
        rules: { 'funnelscope/folder-boundaries': ['error', { root: fixtureRoot }] },
      },
    ],
  });
  const [result] = await eslint.lintFiles([path.join(fixtureRoot, file)]);
  assert.ok(result);
  return result.messages.map((m) => m.message);
}

test('shared/ importing Node, a package or another folder fails lint', async () => {
  const messages = await lint('shared/leaks-node.ts');
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.match(messages.join('\n'), /must not import Node built-ins/);
  assert.match(messages.join('\n'), /reaches main\/helper/);
  assert.match(messages.join('\n'), /must not import package 'some-package'/);
});

test('a file inside its boundary passes', async () => {
  assert.deepEqual(await lint('shared/clean.ts'), []);
});

test('workers/ importing electron or the renderer fails lint', async () => {
  const messages = await lint('workers/imports-electron.ts');
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.match(messages.join('\n'), /must not import electron/);
});

test('renderer/ reaching the engine or Node fails lint, shared/ is allowed', async () => {
  const messages = await lint('renderer/reaches-engine.ts');
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.match(messages.join('\n'), /reaches workers\/store\/workspace/);
});

test('main/api.ts stays Electron-free and reaches workers only through the pool', async () => {
  const messages = await lint('main/api.ts');
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.match(messages.join('\n'), /must stay Electron-free/);
  assert.match(messages.join('\n'), /reaches workers\/ingest\/import/);
});
