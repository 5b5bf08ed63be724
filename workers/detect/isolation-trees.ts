/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008), the batch algorithm: grow a seeded forest on a set of
 * vectors, then score vectors by how early the trees isolate them. The online detector over cohort funnel
 * vectors is isolation-forest.ts.
 *
 * - Each tree is grown on a subsample of ψ = min(256, n) vectors drawn without replacement, to the height
 *   limit ⌈log₂ ψ⌉: a node picks a feature uniformly among those not constant in it and a split uniformly
 *   between their minimum and maximum. Anomalies are few and different, so they are isolated near the root.
 * - Path length h(x): the edges from the root to x's leaf plus c(size of the leaf), the expected length of
 *   the subtree the height limit cut off; c(n) = 2H(n − 1) − 2(n − 1)/n with H(i) ≈ ln i + γ, c(2) = 1,
 *   c(n ≤ 1) = 0 (the average unsuccessful search in a binary search tree of n keys).
 * - Score s(x) = 2^{−E[h(x)]/c(ψ)}: near 1 isolated, about 0.5 or below for ordinary points.
 * - One departure, optional: a vector outside the bounding box of a node's training vectors is isolated
 *   there with the probability it would have been had it been in the sample (treePathLength). The original
 *   score stops growing at the edge of the training data; this one keeps growing with the distance. For
 *   every vector inside the boxes on its path (every training vector) the two are the same.
 */
import { mulberry32, randomIndex } from './seeded-random';

const EULER_GAMMA = 0.5772156649015329;

/** c(n): the average path length of an unsuccessful search in a binary search tree of n keys. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export interface IsolationForestOptions {
  /** Number of trees (default 100). */
  trees?: number;
  /** Subsample size ψ per tree (default 256). */
  sampleSize?: number;
  /** Seed of the sampling (default 1); ignored when `random` is given. */
  seed?: number;
  /** A uniform [0, 1) generator to draw from instead of a fresh seeded one. */
  random?: () => number;
  /**
   * Path length of vectors outside the training boxes: 'insertion' (default) isolates them where they
   * leave a box, 'standard' follows the original paper (see treePathLength).
   */
  outOfRange?: 'insertion' | 'standard';
}

/** One tree in flat arrays. Node i is a leaf when feature[i] < 0; else its children are left[i], left[i] + 1. */
interface IsolationTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  /** Training vectors in the node. */
  size: Int32Array;
  /** c(size) of each leaf: the path length the height limit cut off. */
  cutOff: Float64Array;
  /** Bounding box of the node's training vectors: node i, feature q at i · dims + q. */
  lows: Float64Array;
  highs: Float64Array;
}

function emptyTree(capacity: number, dims: number): IsolationTree {
  return {
    feature: new Int32Array(capacity).fill(-1),
    threshold: new Float64Array(capacity),
    left: new Int32Array(capacity),
    size: new Int32Array(capacity),
    cutOff: new Float64Array(capacity),
    lows: new Float64Array(capacity * dims).fill(Number.POSITIVE_INFINITY),
    highs: new Float64Array(capacity * dims).fill(Number.NEGATIVE_INFINITY),
  };
}

/** Widens the box of `node` to hold x. */
function widenBox(tree: IsolationTree, node: number, x: readonly number[], dims: number): void {
  const base = node * dims;
  for (let q = 0; q < dims; q++) {
    const v = x[q] as number;
    if (v < (tree.lows[base + q] as number)) tree.lows[base + q] = v;
    if (v > (tree.highs[base + q] as number)) tree.highs[base + q] = v;
  }
}

/** Grows one tree on data[sample[…]] (sample is reordered) to the height limit ⌈log₂ ψ⌉. */
function growTree(
  data: readonly (readonly number[])[],
  sample: Int32Array,
  dims: number,
  random: () => number,
): IsolationTree {
  const heightLimit = Math.ceil(Math.log2(Math.max(2, sample.length)));
  const tree = emptyTree(2 ** (heightLimit + 1) - 1, dims);
  for (const i of sample) widenBox(tree, 0, data[i] as readonly number[], dims);
  let nodes = 1;
  const candidates: number[] = [];

  // A node's box is filled before it is grown (by its parent's partition pass).
  const grow = (node: number, from: number, to: number, depth: number): void => {
    tree.size[node] = to - from;
    tree.cutOff[node] = averagePathLength(to - from);
    if (depth >= heightLimit || to - from <= 1) return;
    const base = node * dims;
    candidates.length = 0;
    for (let q = 0; q < dims; q++)
      if ((tree.highs[base + q] as number) > (tree.lows[base + q] as number)) candidates.push(q);
    if (candidates.length === 0) return; // identical vectors cannot be told apart
    const q = candidates[randomIndex(random, candidates.length)] as number;
    let u = random();
    while (u === 0) u = random();
    const low = tree.lows[base + q] as number;
    const split = low + u * ((tree.highs[base + q] as number) - low);
    const left = nodes;
    nodes += 2;
    tree.feature[node] = q;
    tree.threshold[node] = split;
    tree.left[node] = left;
    // One pass: values below the split to the front, and the two children's boxes.
    let mid = from;
    for (let i = from; i < to; i++) {
      const index = sample[i] as number;
      const x = data[index] as readonly number[];
      if ((x[q] as number) < split) {
        sample[i] = sample[mid] as number;
        sample[mid] = index;
        mid++;
        widenBox(tree, left, x, dims);
      } else widenBox(tree, left + 1, x, dims);
    }
    grow(left, from, mid, depth + 1);
    grow(left + 1, mid, to, depth + 1);
  };

  grow(0, 0, sample.length, 0);
  return tree;
}

export class IsolationForest {
  private constructor(
    private readonly trees: readonly IsolationTree[],
    /** The indices of the training data each tree was grown on. */
    private readonly samples: readonly Int32Array[],
    readonly sampleSize: number,
    readonly dims: number,
    private readonly insertion: boolean,
  ) {}

  /** Grows a forest on `data` (at least 2 vectors of the same length). */
  static fit(data: readonly (readonly number[])[], options: IsolationForestOptions = {}): IsolationForest {
    const n = data.length;
    if (n < 2) throw new RangeError(`an Isolation Forest needs at least 2 vectors, got ${n}`);
    const dims = (data[0] as readonly number[]).length;
    if (dims === 0 || data.some((x) => x.length !== dims))
      throw new RangeError('every vector of an Isolation Forest must have the same, non-zero length');
    const random = options.random ?? mulberry32(options.seed ?? 1);
    const sampleSize = Math.min(options.sampleSize ?? 256, n);
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    const samples: Int32Array[] = [];
    const trees = Array.from({ length: options.trees ?? 100 }, () => {
      // Partial Fisher–Yates: the first sampleSize indices become a sample without replacement.
      for (let i = 0; i < sampleSize; i++) {
        const j = i + randomIndex(random, n - i);
        const t = indices[i] as number;
        indices[i] = indices[j] as number;
        indices[j] = t;
      }
      const sample = indices.slice(0, sampleSize);
      samples.push(sample); // growTree reorders it; membership is all outOfBagScores needs
      return growTree(data, sample, dims, random);
    });
    return new IsolationForest(
      trees,
      samples,
      sampleSize,
      dims,
      (options.outOfRange ?? 'insertion') === 'insertion',
    );
  }

  /** E[h(x)]: the mean over the trees of the path length of x (see treePathLength). */
  pathLength(x: readonly number[]): number {
    if (x.length !== this.dims) throw new RangeError(`expected a vector of ${this.dims}, got ${x.length}`);
    let total = 0;
    for (const tree of this.trees) total += this.treePathLength(tree, x);
    return total / this.trees.length;
  }

  /**
   * Path length of x in one tree. Standard: edges to x's leaf plus c(leaf size). With `insertion`, x is
   * also isolated where it lies outside the bounding box of a node's training vectors, as if it had been in
   * the sample: at such a node a uniform split (feature uniform among those not constant with x included,
   * value uniform over the range widened to x) falls between x and the box with probability
   * P = Σ_q gap_q / range_q / d′, and then x is alone one edge further down. This is the insertion step of
   * Robust Random Cut Forests (Guha et al., ICML 2016) with Isolation Forest's choice of feature. Without it
   * a vector beyond the training range follows the most extreme training vectors and can score no higher
   * than they do, however far out it is. For a vector inside every box on its path (every training
   * vector) both are the same.
   */
  private treePathLength(tree: IsolationTree, x: readonly number[]): number {
    const dims = this.dims;
    let node = 0;
    let depth = 0;
    let expected = 0;
    let stillThere = 1; // probability that x has not been isolated above this node
    for (;;) {
      const leaf = (tree.feature[node] as number) < 0;
      if (this.insertion && !(leaf && (tree.size[node] as number) <= 1)) {
        let gapShare = 0;
        let varying = 0;
        for (let q = 0; q < dims; q++) {
          const lo = tree.lows[node * dims + q] as number;
          const hi = tree.highs[node * dims + q] as number;
          const v = x[q] as number;
          const range = Math.max(hi, v) - Math.min(lo, v);
          if (range <= 0) continue;
          varying++;
          if (v < lo) gapShare += (lo - v) / range;
          else if (v > hi) gapShare += (v - hi) / range;
        }
        if (gapShare > 0) {
          const isolatedHere = stillThere * (gapShare / varying);
          expected += isolatedHere * (depth + 1);
          stillThere -= isolatedHere;
        }
      }
      if (leaf) return expected + stillThere * (depth + (tree.cutOff[node] as number));
      const q = tree.feature[node] as number;
      node = (tree.left[node] as number) + ((x[q] as number) < (tree.threshold[node] as number) ? 0 : 1);
      depth++;
    }
  }

  /**
   * Scores of the training data, each from the trees that did not see it (out of bag), so that they are
   * on the same footing as a new vector's; from every tree for a vector that every tree saw.
   */
  outOfBagScores(data: readonly (readonly number[])[]): number[] {
    const n = data.length;
    const trees = this.trees.length;
    const seen = new Uint8Array(trees * n);
    for (let t = 0; t < trees; t++) for (const i of this.samples[t] as Int32Array) seen[t * n + i] = 1;
    const norm = averagePathLength(this.sampleSize);
    const scores = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const x = data[i] as readonly number[];
      let total = 0;
      let count = 0;
      for (let t = 0; t < trees; t++) {
        if (seen[t * n + i]) continue;
        total += this.treePathLength(this.trees[t] as IsolationTree, x);
        count++;
      }
      scores[i] = count > 0 ? Math.pow(2, -total / count / norm) : this.score(x);
    }
    return scores;
  }

  /** Anomaly score s(x) = 2^{−E[h(x)]/c(ψ)} in (0, 1]. */
  score(x: readonly number[]): number {
    return Math.pow(2, -this.pathLength(x) / averagePathLength(this.sampleSize));
  }
}
