import type { Db } from './workspace';

/**
 * A map with first-in-first-out eviction of the oldest half when it reaches its limit: memory stays bounded
 * on files with millions of distinct values, while recent (and so probably repeating) values stay cached.
 * The database remains the source of truth; an evicted value is looked up again.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    if (this.map.size >= this.limit) {
      let drop = this.limit >> 1;
      for (const oldest of this.map.keys()) {
        this.map.delete(oldest);
        if (--drop === 0) break;
      }
    }
    // A copy of the key: a parsed field may be a slice of a 64 KB read chunk, which would stay alive with it.
    this.map.set(key.length >= 13 ? (' ' + key).slice(1) : key, value);
  }

  get size(): number {
    return this.map.size;
  }
}

const CACHE_LIMIT = 500_000;

/** Looks up or creates the integer id of a string, with one statement for the common case of a new value. */
function idLookup(db: Db, table: string, keyColumn: string, valueColumn: string) {
  const insert = db
    .prepare(
      `INSERT INTO ${table} (${keyColumn}, ${valueColumn}) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    )
    .pluck();
  const select = db.prepare(`SELECT id FROM ${table} WHERE ${keyColumn} = ? AND ${valueColumn} = ?`).pluck();
  return (key: string, value: string): number =>
    (insert.get(key, value) as number | undefined) ?? (select.get(key, value) as number);
}

/** Strings live once in `dim_values`: dimension values, event types and measure names. */
export class Dictionary {
  private readonly lookup;
  private readonly caches = new Map<string, (value: string) => number>();

  constructor(db: Db) {
    this.lookup = idLookup(db, 'dim_values', 'dim', 'value');
  }

  /** A fast id function for one dimension (one cache per dimension, so no key strings are built per row). */
  forDimension(dim: string): (value: string) => number {
    let fn = this.caches.get(dim);
    if (!fn) {
      const cache = new BoundedCache<number>(CACHE_LIMIT);
      fn = (value: string) => {
        let id = cache.get(value);
        if (id === undefined) {
          id = this.lookup(dim, value);
          cache.set(value, id);
        }
        return id;
      };
      this.caches.set(dim, fn);
    }
    return fn;
  }

  id(dim: string, value: string): number {
    return this.forDimension(dim)(value);
  }
}

/**
 * Integer pseudonyms of identifiers, cached by raw value so that the HMAC is computed once per distinct
 * identifier. Raw values live only in this memory, never in the file.
 */
export class PseudonymKeys {
  private readonly caches = new Map<string, (raw: string) => number>();

  constructor(private readonly keyOf: (kind: string, value: string) => number) {}

  forKind(kind: 'user' | 'session' | 'order'): (raw: string) => number {
    let fn = this.caches.get(kind);
    if (!fn) {
      const cache = new BoundedCache<number>(CACHE_LIMIT);
      let lastRaw = '';
      let lastKey = 0;
      fn = (raw: string) => {
        if (raw === lastRaw) return lastKey;
        let key = cache.get(raw);
        if (key === undefined) {
          key = this.keyOf(kind, raw);
          cache.set(raw, key);
        }
        lastRaw = raw;
        lastKey = key;
        return key;
      };
      this.caches.set(kind, fn);
    }
    return fn;
  }
}
