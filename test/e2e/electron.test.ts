/**
 * Smoke test of the real desktop app, where an Electron binary exists (a user's or developer's machine):
 * launch it with Playwright's Electron support on a demo workspace and check the first screen. Where there
 * is none the test is reported as skipped with the reason, not silently passed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { createApi } from '../../main/api';
import { EnginePool } from '../../workers/pool/pool';
import { keyFileSecrets } from './host/secrets';
import { electronBinary, electronUnavailable } from './support/electron';
import { screenshotPath } from './support/host';

const unavailable = electronUnavailable();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnelscope-electron-'));
const workspace = path.join(dir, 'demo.fscope');

if (unavailable) process.stdout.write(`Electron smoke test not run: ${unavailable}.\n`);

before(async () => {
  if (unavailable) return;
  const built = spawnSync(process.execPath, ['build/scripts/bundle.mjs'], { stdio: 'inherit' });
  assert.equal(built.status, 0, 'the app bundles');
  const pool = new EnginePool({ readers: 1 });
  const api = createApi({ pool, secrets: keyFileSecrets });
  await api.workspace.createDemo(workspace, { days: 7 });
  await api.detection.run(workspace);
  await api.workspace.close(workspace);
  await pool.close();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(
  'the real app opens the demo workspace on its Overview',
  { skip: unavailable ?? false, timeout: 180_000 },
  async () => {
    const app = await electron.launch({
      executablePath: electronBinary() as string,
      args: ['.', `--workspace=${workspace}`, `--user-data-dir=${path.join(dir, 'user-data')}`],
      cwd: process.cwd(),
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 60_000 });
      assert.match((await window.locator('.workspace-path').textContent()) ?? '', /demo\.fscope$/);
      assert.equal(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
        'undefined',
      );
      await window.screenshot({ path: screenshotPath('electron-overview') });
    } finally {
      await app.close();
    }
  },
);
