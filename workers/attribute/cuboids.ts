/**
 * Cuboids and their elements. A cuboid is a set of dimensions (its layer is how many); its elements are
 * the value combinations of those dimensions that occur among the leaves, i.e. the candidate cohorts.
 */

/** Dimension indices. The root (all traffic) is the empty cuboid. */
export type Cuboid = readonly number[];

/** Every combination of `layer` dimensions out of `dimensions`, keeping their order. */
export function cuboidsOfLayer(dimensions: readonly number[], layer: number): Cuboid[] {
  const result: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === layer) {
      result.push([...chosen]);
      return;
    }
    for (let i = start; i <= dimensions.length - (layer - chosen.length); i++) {
      chosen.push(dimensions[i]!);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  return result;
}

/** The elements of one cuboid. */
export interface CuboidElements {
  cuboid: Cuboid;
  /** Number of elements that occur. */
  size: number;
  /** Leaf → element index. */
  elementOf: Int32Array;
  /** Element → one of its leaves, to read its dimension values back. */
  firstLeaf: Int32Array;
}

/** Below this many value combinations, elements are looked up in an array rather than a hash map. */
const DENSE_KEYS = 1 << 20;

/**
 * Each leaf's value combination in a cuboid as a mixed-radix number (exact in a double for any
 * realistic cardinalities). Written out per width: this is the hottest loop of the search, and a loop
 * over the cuboid's dimensions inside the loop over leaves runs several times slower.
 */
function combinationKeys(columns: Int32Array[], radices: number[], leafCount: number): Float64Array {
  const keys = new Float64Array(leafCount);
  const [c0, c1, c2] = columns;
  const [, r1 = 1, r2 = 1] = radices;
  if (c0 && c1 && c2) for (let i = 0; i < leafCount; i++) keys[i] = (c0[i]! * r1 + c1[i]!) * r2 + c2[i]!;
  else if (c0 && c1) for (let i = 0; i < leafCount; i++) keys[i] = c0[i]! * r1 + c1[i]!;
  else if (c0) for (let i = 0; i < leafCount; i++) keys[i] = c0[i]!;
  if (columns.length > 3)
    for (let i = 0; i < leafCount; i++) {
      let key = 0;
      for (let k = 0; k < columns.length; k++) key = key * radices[k]! + columns[k]![i]!;
      keys[i] = key;
    }
  return keys;
}

/** Groups the leaves by their values in `cuboid`; `codes` holds leaf → value code per dimension. */
export function groupLeaves(
  cuboid: Cuboid,
  codes: readonly Int32Array[],
  cardinality: readonly number[],
  leafCount: number,
): CuboidElements {
  const radices = cuboid.map((d) => cardinality[d]!);
  const keys = combinationKeys(
    cuboid.map((d) => codes[d]!),
    radices,
    leafCount,
  );
  const elementOf = new Int32Array(leafCount);
  const firstLeaves: number[] = [];
  const combinations = radices.reduce((product, r) => product * r, 1);
  if (combinations <= DENSE_KEYS) {
    const index = new Int32Array(combinations).fill(-1);
    for (let i = 0; i < leafCount; i++) {
      const key = keys[i]!;
      let element = index[key]!;
      if (element < 0) {
        element = index[key] = firstLeaves.length;
        firstLeaves.push(i);
      }
      elementOf[i] = element;
    }
  } else {
    const index = new Map<number, number>();
    for (let i = 0; i < leafCount; i++) {
      const key = keys[i]!;
      let element = index.get(key);
      if (element === undefined) {
        element = firstLeaves.length;
        index.set(key, element);
        firstLeaves.push(i);
      }
      elementOf[i] = element;
    }
  }
  return { cuboid, size: firstLeaves.length, elementOf, firstLeaf: Int32Array.from(firstLeaves) };
}
