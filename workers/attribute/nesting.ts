import type { CuboidEvidence } from './evidence';
import type { Best } from './ranking';

/** Below this share of a parent's weight (its information), the rest of it is too small to tell anything. */
const NEGLIGIBLE_REST = 0.1;

/** The strength the rest of a parent needs to count as having moved on its own evidence (one-sided 5 %). */
const REST_MOVED_STRENGTH = 1.645;

/**
 * Whether the rest of a parent (its leaves outside the cause) carries the cause's change too: its shift is
 * at least half the cause's (where the likelihood of "the parent moved by the cause's factor" overtakes
 * "only the cause moved" for scores with Gaussian noise) and its own evidence of a shift is significant.
 * Without the second condition a rest of a few dozen checkouts (Chrome on iOS beside Safari) that dipped by
 * chance names the parent as often as not, where the issue asks for the most specific cohort that carries
 * the change. A rest too small to tell (a few visits of other browsers on iOS) does not stand in the
 * parent's way. The strength test alone cannot tell: a parent of which a seventh did not move keeps 6/7 of
 * the strength squared, and noise does the rest.
 */
export function restMovedWithIt(parent: CuboidEvidence, x: number, cause: Best): boolean {
  if (restTooSmall(parent, x, cause)) return true;
  const p = parent.moments(x);
  const c = cause.cuboid.moments(cause.element);
  const restWeight = p.weight - c.weight;
  const restSum = p.sum - c.sum;
  return (
    restSum / restWeight >= c.sum / c.weight / 2 && restSum / Math.sqrt(restWeight) >= REST_MOVED_STRENGTH
  );
}

/** Whether the rest of a parent outside the cause holds too little of its weight to tell anything by itself. */
export function restTooSmall(parent: CuboidEvidence, x: number, cause: Best): boolean {
  const parentWeight = parent.moments(x).weight;
  return !(parentWeight - cause.cuboid.moments(cause.element).weight > NEGLIGIBLE_REST * parentWeight);
}

/** Whether cohort `outer` strictly contains cohort `inner` (iOS contains iOS & Safari). */
export function strictlyContains(outer: Best, inner: Best, codes: readonly Int32Array[]): boolean {
  const outerDims = outer.cuboid.elements.cuboid;
  const innerDims = inner.cuboid.elements.cuboid;
  if (outerDims.length >= innerDims.length || !outerDims.every((d) => innerDims.includes(d))) return false;
  const o = outer.cuboid.elements.firstLeaf[outer.element]!;
  const i = inner.cuboid.elements.firstLeaf[inner.element]!;
  return outerDims.every((d) => codes[d]![o] === codes[d]![i]);
}
