import assert from 'node:assert/strict';
import type { BucketScore } from '../../../workers/detect/types';

/**
 * Asserts that scoring a series with gap buckets gives, at every other bucket, the scores of the series
 * without them: gaps score null, and only the indices differ (a CUSUM run's onset and peak may lie across a
 * gap, so they are compared as positions in the series without gaps).
 */
export function assertSameWithoutGaps<S extends BucketScore>(
  withGaps: readonly (S | null)[],
  withoutGaps: readonly (S | null)[],
  isGap: (i: number) => boolean,
): void {
  const keptIndex = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < withGaps.length; i++) {
    if (isGap(i)) {
      assert.equal(withGaps[i], null, `gap ${i}`);
      continue;
    }
    keptIndex.set(i, j);
    const s = withGaps[i] ?? null;
    const t = withoutGaps[j] ?? null;
    assert.deepEqual(
      s && { ...s, index: 0, onset: keptIndex.get(s.onset as number), peak: keptIndex.get(s.peak as number) },
      t && { ...t, index: 0 },
      `bucket ${i}`,
    );
    j++;
  }
}
