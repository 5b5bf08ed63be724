import type { IdSource } from '../encoders';
import type { NewString } from './protocol';

/**
 * Dictionary ids local to one encode worker: the writer maps them to workspace ids when their batch arrives.
 * Every string is sent once, with the first batch that uses it.
 */
export class LocalDictionary implements IdSource {
  private readonly byDimension = new Map<string, (value: string) => number>();
  private pending: NewString[] = [];

  forDimension(dim: string): (value: string) => number {
    let fn = this.byDimension.get(dim);
    if (!fn) {
      const ids = new Map<string, number>();
      fn = (value: string) => {
        let id = ids.get(value);
        if (id === undefined) {
          id = ids.size;
          // A copy: a parsed field may be a slice of a large read chunk.
          const owned = value.length >= 13 ? (' ' + value).slice(1) : value;
          ids.set(owned, id);
          this.pending.push([dim, id, owned]);
        }
        return id;
      };
      this.byDimension.set(dim, fn);
    }
    return fn;
  }

  id(dim: string, value: string): number {
    return this.forDimension(dim)(value);
  }

  /** Strings created since the last call. */
  takeNew(): NewString[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
