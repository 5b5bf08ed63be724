import { SESSION_DIMENSIONS } from '../../shared/events';
import type { LeafTable } from '../attribute';
import type { CubeTable } from '../metrics/rollup';

const DAY_MS = 86_400_000;
/** Same-time windows of up to this many earlier days make a leaf's forecast (a seasonal-naive mean). */
const BASELINE_DAYS = 7;
/** A leaf's baseline rate is shrunk towards the table's with this many pseudo-trials (small leaves). */
const RATE_PRIOR_TRIALS = 20;

/**
 * The leaves (finest visit-dimension combinations) of an incident window: observed over the window and
 * forecast from the same hours of up to a week of earlier days. Null when no earlier day is in the table.
 * Ratios keep numerator and denominator: a leaf's forecast numerator is its observed denominator times its
 * baseline rate, so a cohort that only lost traffic at its usual rate is not blamed.
 */
export function leafTable(
  table: CubeTable,
  names: Map<number, string>,
  /** The measures of the metric: a sum of `numerator`, or the rate numerator / denominator. */
  metric: { numerator: string; denominator?: string },
  first: number,
  last: number,
): LeafTable | null {
  const perDay = Math.round(DAY_MS / table.bucketMs);
  const offsets: number[] = [];
  for (let d = 1; d <= BASELINE_DAYS && first - d * perDay >= 0; d++) offsets.push(d * perDay);
  if (offsets.length === 0) return null;
  // Which earlier day (1-based) a bucket belongs to, 0 when it is not in a baseline window.
  const baselineDay = new Uint8Array(table.length);
  offsets.forEach((offset, d) => {
    for (let b = first - offset; b <= last - offset; b++) if (b >= 0) baselineDay[b] = d + 1;
  });
  const days = offsets.length;

  const dims = SESSION_DIMENSIONS.filter((d) => (table.dims[d] as Int32Array).some((id) => id !== 0));
  const dimColumns = dims.map((d) => table.dims[d] as Int32Array);
  const num = table.measures[metric.numerator];
  const den = metric.denominator ? table.measures[metric.denominator] : null;
  // A series the cube does not hold (an export's own event type, counted from the events) has no leaves.
  if (!num || den === undefined) return null;
  interface Leaf {
    ids: number[];
    real: [number, number];
    /** Per earlier day: numerator, denominator. */
    byDay: Float64Array;
  }
  const leaves = new Map<string, Leaf>();
  for (let r = 0; r < table.rows; r++) {
    const b = table.bucketIndex[r] as number;
    const inWindow = b >= first && b <= last;
    const day = baselineDay[b] as number;
    if (!inWindow && day === 0) continue;
    const ids = dimColumns.map((column) => column[r] as number);
    const key = ids.join(',');
    let leaf = leaves.get(key);
    if (!leaf) leaves.set(key, (leaf = { ids, real: [0, 0], byDay: new Float64Array(2 * days) }));
    const n = num[r] as number;
    const m = den ? (den[r] as number) : 0;
    if (inWindow) {
      leaf.real[0] += n;
      leaf.real[1] += m;
    } else {
      leaf.byDay[2 * (day - 1)] = (leaf.byDay[2 * (day - 1)] as number) + n;
      leaf.byDay[2 * (day - 1) + 1] = (leaf.byDay[2 * (day - 1) + 1] as number) + m;
    }
  }
  const label = (id: number) => (id === 0 ? '(none)' : (names.get(id) ?? String(id)));
  if (!den) {
    return {
      kind: 'additive',
      dimensions: [...dims],
      rows: [...leaves.values()].map((leaf) => ({
        values: leaf.ids.map(label),
        real: leaf.real[0],
        // The median day, so that a one-off (an e-mail send a few days ago) does not become the forecast.
        predict: median(Array.from({ length: days }, (_, d) => leaf.byDay[2 * d] as number)),
      })),
    };
  }
  let baseNum = 0;
  let baseDen = 0;
  for (const leaf of leaves.values()) {
    for (let d = 0; d < days; d++) {
      baseNum += leaf.byDay[2 * d] as number;
      baseDen += leaf.byDay[2 * d + 1] as number;
    }
  }
  const tableRate = baseDen > 0 ? baseNum / baseDen : 0;
  return {
    kind: 'ratio',
    dimensions: [...dims],
    rows: [...leaves.values()]
      .filter((leaf) => leaf.real[1] > 0)
      .map((leaf) => {
        let n = 0;
        let m = 0;
        for (let d = 0; d < days; d++) {
          n += leaf.byDay[2 * d] as number;
          m += leaf.byDay[2 * d + 1] as number;
        }
        const rate = (n + RATE_PRIOR_TRIALS * tableRate) / (m + RATE_PRIOR_TRIALS);
        return {
          values: leaf.ids.map(label),
          realNum: leaf.real[0],
          realDen: leaf.real[1],
          predictNum: leaf.real[1] * rate,
          predictDen: leaf.real[1],
        };
      }),
  };
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}
