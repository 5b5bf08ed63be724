// Runs the node:test files of one test folder (unit, integration, e2e) through tsx.
// Node 20's test runner does not expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const kind = process.argv[2];
const extra = process.argv.slice(3);
if (!kind) {
  console.error('usage: run-tests.mjs unit|integration|e2e [node --test options]');
  process.exit(2);
}

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const roots = kind === 'unit' ? ['test/unit', 'workers', 'shared', 'main'] : [`test/${kind}`];
const files = roots.flatMap(find).sort();
if (files.length === 0) {
  console.error(`No ${kind} test files found.`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
