import type { BucketScore } from '../../../workers/detect/types';

/** Share of the scored buckets from index `from` on whose detector alarmed. */
export function alarmRate(scores: readonly (BucketScore | null)[], from: number): number {
  let n = 0;
  let a = 0;
  for (let i = from; i < scores.length; i++) {
    const s = scores[i];
    if (!s) continue;
    n++;
    if (s.alarm) a++;
  }
  return a / n;
}
