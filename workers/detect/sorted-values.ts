/**
 * A multiset of numbers kept sorted in a typed array: insert and remove by binary search and a block move,
 * so a sliding window's order statistics (median, MAD, ranks) cost O(log n) to read instead of a selection
 * over the window for every new value. The block move is O(n) but a memmove of at most a few thousand
 * doubles, far cheaper than re-selecting.
 */
export class SortedValues {
  private values: Float64Array;
  /** The other buffer of `replace`'s merge. */
  private spare: Float64Array;
  private count = 0;

  constructor(capacity = 64) {
    this.values = new Float64Array(Math.max(1, capacity));
    this.spare = new Float64Array(this.values.length);
  }

  get length(): number {
    return this.count;
  }

  /** The k-th smallest (0-based). */
  at(k: number): number {
    return this.values[k] as number;
  }

  /** First position whose value is ≥ v. */
  lowerBound(v: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.values[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose value is > v. */
  upperBound(v: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.values[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reserve(size: number): void {
    if (size <= this.values.length) return;
    const grown = new Float64Array(Math.max(size, this.values.length * 2));
    grown.set(this.values.subarray(0, this.count));
    this.values = grown;
    this.spare = new Float64Array(grown.length);
  }

  insert(v: number): void {
    this.reserve(this.count + 1);
    const at = this.upperBound(v);
    this.values.copyWithin(at + 1, at, this.count);
    this.values[at] = v;
    this.count++;
  }

  /** Removes one occurrence of v, which must be present. */
  remove(v: number): void {
    const at = this.lowerBound(v);
    if (at >= this.count || this.values[at] !== v) throw new RangeError(`${v} is not in the set`);
    this.values.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  /**
   * Removes one occurrence of each of `removed` (all present) and inserts `added`, both ascending, in one
   * merge pass: O(n + changes) instead of a block move per change.
   */
  replace(removed: Float64Array, added: Float64Array): void {
    const nRemoved = removed.length;
    const nAdded = added.length;
    const count = this.count;
    this.reserve(count - nRemoved + nAdded);
    const from = this.values;
    const to = this.spare;
    // Sentinels past the ends keep the inner comparisons branch-light.
    let nextRemoved = nRemoved > 0 ? (removed[0] as number) : Number.POSITIVE_INFINITY;
    let nextAdded = nAdded > 0 ? (added[0] as number) : Number.POSITIVE_INFINITY;
    let r = 0;
    let a = 0;
    let o = 0;
    for (let i = 0; i < count; i++) {
      const v = from[i] as number;
      if (nextRemoved <= v) {
        if (nextRemoved !== v) break; // not present: reported below
        r++;
        nextRemoved = r < nRemoved ? (removed[r] as number) : Number.POSITIVE_INFINITY;
        continue;
      }
      while (nextAdded < v) {
        to[o++] = nextAdded;
        a++;
        nextAdded = a < nAdded ? (added[a] as number) : Number.POSITIVE_INFINITY;
      }
      to[o++] = v;
    }
    if (r < nRemoved) throw new RangeError(`${removed[r]} is not in the set`);
    while (a < nAdded) to[o++] = added[a++] as number;
    this.spare = from;
    this.values = to;
    this.count = o;
  }
}
