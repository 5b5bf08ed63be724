import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correctAcrossSeries } from '../../workers/incidents/group';
import {
  WATCHED_METRICS,
  type Candidate,
  type ScanResult,
  type ScannedSeries,
} from '../../workers/incidents/scan';

const rate = WATCHED_METRICS.find((m) => m.metric === 'add_to_cart_rate')!;

function series(cohort: Record<string, string>, product: boolean): ScannedSeries {
  const key = Object.entries(cohort)
    .map(([d, v]) => `${d}=${v}`)
    .join('&');
  const s: ScannedSeries = { metric: rate, cohort: { key, cohort, series: {}, totals: {} }, level: 1 };
  return product ? { ...s, product: true } : s;
}

const candidate = (seriesId: number, pValue: number): Candidate => ({
  series: seriesId,
  bucket: 0,
  pValue,
  score: 1 - pValue,
  direction: 'down',
  expected: 0.1,
  observed: 1,
  trials: 30,
  onset: 0,
  peak: 0,
});

describe('correction families of product cohorts', () => {
  it('categories and brands are corrected apart from each other and from the visit cohorts', () => {
    const scan: ScanResult = {
      series: [
        series({ category: 'shoes' }, true),
        series({ brand: 'Kelso' }, true),
        series({ os: 'iOS' }, false),
      ],
      // 1.5e-3 against q = 0.01: passes among 5 categories (q/m = 2e-3), not among 15 brands (6.7e-4) nor
      // among 300 visit series; pooled with the brands (m = 20), the category would not pass either.
      candidates: [candidate(0, 1.5e-3), candidate(1, 1.5e-3), candidate(2, 1.5e-3)],
      tested: Int32Array.from([300]),
      testedProducts: { category: Int32Array.from([5]), brand: Int32Array.from([15]) },
    };
    const kept = correctAcrossSeries(scan, 0.01).map((c) => scan.series[c.series]!.cohort.key);
    assert.deepEqual(kept, ['category=shoes']);
    // The brand passes in its own family once its evidence is strong enough for m = 15.
    scan.candidates[1] = candidate(1, 6e-4);
    assert.deepEqual(
      correctAcrossSeries(scan, 0.01)
        .map((c) => scan.series[c.series]!.cohort.key)
        .sort(),
      ['brand=Kelso', 'category=shoes'],
    );
  });
});
