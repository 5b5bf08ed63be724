// npx tsx test/bench/localize.bench.ts: cohort localization (workers/attribute) on synthetic leaf tables of
// 17k to 65k leaves, additive and ratio, root causes in layers 1 to 3. Prints the time to encode the table
// and to localize (median over seeds, after a warm-up), the F1 of the returned sets, and the process's
// peak memory. Asserts nothing.
import { encodeLeaves, localizeLeaves } from '../../workers/attribute';
import {
  PAPER_SETTINGS,
  cohortKey,
  pooledF1,
  syntheticCase,
  type MetricKind,
  type SyntheticSettings,
} from '../unit/attribute/synthetic';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 5);

const SHAPES: { name: string; settings: SyntheticSettings }[] = [
  {
    name: '5 dims × 7 values',
    settings: { ...PAPER_SETTINGS, dimensions: [...'abcde'], valuesPerDimension: [7, 7] },
  },
  {
    name: '5 dims × 8 values',
    settings: { ...PAPER_SETTINGS, dimensions: [...'abcde'], valuesPerDimension: [8, 8] },
  },
  {
    name: '5 dims × 9 values',
    settings: { ...PAPER_SETTINGS, dimensions: [...'abcde'], valuesPerDimension: [9, 9] },
  },
  {
    name: '8 dims × 4 values',
    settings: { ...PAPER_SETTINGS, dimensions: [...'abcdefgh'], valuesPerDimension: [4, 4] },
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(kind: MetricKind, layer: number, settings: SyntheticSettings) {
  const encodeMs: number[] = [];
  const localizeMs: number[] = [];
  const cases: { predicted: string[]; truth: string[] }[] = [];
  let leaves = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const { table, truth } = syntheticCase(kind, layer, 500 + 10 * layer + seed, settings);
    leaves = table.rows.length;
    const t0 = performance.now();
    const encoded = encodeLeaves(table);
    const t1 = performance.now();
    const result = localizeLeaves(encoded);
    const t2 = performance.now();
    encodeMs.push(t1 - t0);
    localizeMs.push(t2 - t1);
    cases.push({ predicted: result.rootCauses.map((c) => cohortKey(c.cohort)), truth });
  }
  return {
    leaves,
    encode: median(encodeMs),
    localize: median(localizeMs),
    worst: Math.max(...localizeMs),
    ...pooledF1(cases),
  };
}

// Warm-up: the first runs measure the JIT compiler, not the search.
run('additive', 2, SHAPES[0]!.settings);
run('ratio', 2, SHAPES[0]!.settings);

console.log(`Cohort localization, median of ${SEEDS} seeds per row (node ${process.version})`);
console.log('shape               leaves  kind      layer  encode ms  localize ms  worst ms     F1');
for (const { name, settings } of SHAPES) {
  for (const kind of ['additive', 'ratio'] as MetricKind[]) {
    for (const layer of [1, 2, 3]) {
      const r = run(kind, layer, settings);
      console.log(
        `${name.padEnd(18)} ${String(r.leaves).padStart(7)}  ${kind.padEnd(8)}  ${String(layer).padStart(5)}` +
          `  ${r.encode.toFixed(0).padStart(9)}  ${r.localize.toFixed(0).padStart(11)}  ${r.worst.toFixed(0).padStart(8)}` +
          `  ${r.f1.toFixed(3).padStart(5)}`,
      );
    }
  }
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
