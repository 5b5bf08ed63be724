import type { Db } from '../store/workspace';

/**
 * What identifies the cube's content: its bucket size and the sources it holds. The writer only changes the
 * cube by adding sources or rebuilding at another size, so results derived from the whole cube can be kept
 * until this changes.
 */
export function cubeVersion(db: Db): string {
  const bucket = db.prepare("SELECT value FROM settings WHERE key = 'cube_bucket_minutes'").pluck().get();
  const sources = db
    .prepare("SELECT COUNT(*) || ':' || TOTAL(source_id) || ':' || TOTAL(bucket_ms) FROM cube_sources")
    .pluck()
    .get();
  return `${String(bucket)}|${String(sources)}`;
}

const memo = new WeakMap<Db, Map<string, { version: string; value: unknown }>>();

/** Computes a whole-cube result once per connection and cube version. */
export function perCubeVersion<T>(db: Db, name: string, compute: () => T): T {
  let entries = memo.get(db);
  if (!entries) memo.set(db, (entries = new Map()));
  const version = cubeVersion(db);
  const hit = entries.get(name);
  if (hit && hit.version === version) return hit.value as T;
  const value = compute();
  entries.set(name, { version, value });
  return value;
}
