import type { Db } from './workspace';

/**
 * A bounded map: cleared when it reaches its limit, so memory stays flat on files with millions of distinct
 * values (the database stays the source of truth; a cleared entry is looked up again).
 */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}

/** Strings live once in `dim_values`: dimension values, event types and measure names. */
export class Dictionary {
  private readonly cache = new BoundedCache<number>(300_000);
  private readonly select;
  private readonly insert;

  constructor(db: Db) {
    this.select = db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck();
    this.insert = db.prepare('INSERT INTO dim_values (dim, value) VALUES (?, ?)');
  }

  id(dim: string, value: string): number {
    const key = `${dim}\u0000${value}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let id = this.select.get(dim, value) as number | undefined;
    if (id === undefined) id = Number(this.insert.run(dim, value).lastInsertRowid);
    this.cache.set(key, id);
    return id;
  }
}

/**
 * Integer keys of pseudonymised identifiers. The cache is keyed by the raw value so that the HMAC is computed
 * once per distinct identifier; raw values live only in this memory, never in the file.
 */
export class PseudonymKeys {
  private readonly cache = new BoundedCache<number>(300_000);
  private readonly select;
  private readonly insert;

  constructor(
    db: Db,
    private readonly pseudonymise: (kind: string, value: string) => string,
  ) {
    this.select = db.prepare('SELECT id FROM pseudonyms WHERE kind = ? AND pseudonym = ?').pluck();
    this.insert = db.prepare('INSERT INTO pseudonyms (kind, pseudonym) VALUES (?, ?)');
  }

  id(kind: 'user' | 'session' | 'order', raw: string): number {
    const key = `${kind}\u0000${raw}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const pseudonym = this.pseudonymise(kind, raw);
    let id = this.select.get(kind, pseudonym) as number | undefined;
    if (id === undefined) id = Number(this.insert.run(kind, pseudonym).lastInsertRowid);
    this.cache.set(key, id);
    return id;
  }
}
