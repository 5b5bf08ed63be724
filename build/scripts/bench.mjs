// npm run bench: every benchmark under test/bench (or those named on the command line), one after the other.
// Benchmarks print figures and ratios to their references; none asserts a time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync('test/bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
// The import benchmark runs the bundled CLI.
if (spawnSync(process.execPath, ['build/scripts/bundle.mjs'], { stdio: 'inherit' }).status !== 0)
  process.exit(1);
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join('test/bench', bench)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
