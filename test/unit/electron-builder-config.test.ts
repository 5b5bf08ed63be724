import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

// electron-builder's own validation (its JSON schema), and the YAML reader it uses, from its own package:
// the check `npm run dist` would make first, without downloading Electron.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
const { validateConfiguration } = fromBuilder('./out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown };
const logger = { isEnabled: false, add() {} };

test("electron-builder.yml passes electron-builder's schema; its icon is a 1024 × 1024 PNG", async () => {
  const config = yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
  await validateConfiguration(config, logger);
  const png = fs.readFileSync('build/icon.png');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1024, 1024]);
});

test('the check does catch a misplaced option', async () => {
  const config = yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
  await assert.rejects(validateConfiguration({ ...config, titel: 'typo' }, logger), /titel/);
});
