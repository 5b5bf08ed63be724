/**
 * Squeeze's generalised potential score of a set of root causes: how much closer the ripple-effect
 * forecast comes to the actual values than the plain forecast does.
 *
 * Under the ripple effect, a leaf inside root cause c is expected at e·(A_c/E_c) (its forecast moved by
 * its cause's factor) and every other leaf at its forecast e. With S the leaves inside some cause,
 *
 *   fit = 1 − (mean_S |a − e·A_c/E_c| + mean_¬S |a − e|) / (mean_S |a − e| + mean_¬S |a − e|).
 *
 * Means rather than sums, so that a small root cause among many normal leaves still counts. Near 1 when
 * the causes account for the deviation and their leaves move together; 0 with no cause at all.
 */
export function rippleFit(
  actual: Float64Array,
  expected: Float64Array,
  /** Leaf → index of the root cause it belongs to (the first one found that covers it), or −1. */
  causeOf: Int32Array,
  causeCount: number,
): number {
  const causeActual = new Float64Array(causeCount);
  const causeExpected = new Float64Array(causeCount);
  for (let i = 0; i < actual.length; i++) {
    const c = causeOf[i]!;
    if (c < 0) continue;
    causeActual[c]! += actual[i]!;
    causeExpected[c]! += expected[i]!;
  }
  let insideCount = 0;
  let insideRippled = 0;
  let insidePlain = 0;
  let outsideCount = 0;
  let outsidePlain = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const c = causeOf[i]!;
    if (c < 0) {
      outsideCount++;
      outsidePlain += Math.abs(a - e);
      continue;
    }
    const factor = causeExpected[c]! > 0 ? causeActual[c]! / causeExpected[c]! : 1;
    insideCount++;
    insideRippled += Math.abs(a - e * factor);
    insidePlain += Math.abs(a - e);
  }
  const mean = (sum: number, count: number) => (count > 0 ? sum / count : 0);
  const before = mean(insidePlain, insideCount) + mean(outsidePlain, outsideCount);
  if (before <= 0) return 1;
  const after = mean(insideRippled, insideCount) + mean(outsidePlain, outsideCount);
  return Math.min(1, Math.max(0, 1 - after / before));
}
