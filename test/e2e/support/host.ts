import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from '../host/host';

/** A host on a fresh workspace folder, removed again by `close`. */
export async function testHost(): Promise<Host> {
  const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnelscope-e2e-'));
  const host = await startHost({ workspaceDir });
  return {
    ...host,
    async close() {
      await host.close();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    },
  };
}

/** Screenshots the tests save as artifacts (test-output/ is ignored by git). */
export const SCREENSHOT_DIR = path.resolve('test-output/e2e');

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
