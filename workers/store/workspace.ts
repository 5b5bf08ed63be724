import fs from 'node:fs';
import Database from 'better-sqlite3';
import { FunnelscopeError } from '../../shared/errors';
import { appliedVersion, LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

/** 'FSCP': marks a SQLite file as a Funnelscope workspace. */
export const APPLICATION_ID = 0x46534350;

export type Db = Database.Database;

export interface OpenWorkspaceOptions {
  create?: boolean;
  readonly?: boolean;
  /** Time zone recorded at creation, used for naive times. */
  timeZone?: string;
  /** Stored at creation so that a wrong key file is detected later. */
  keyCheck?: string;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function looksLikeSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = fs.readSync(fd, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the version and identity of an existing file without writing a byte, so that a workspace from a
 * newer Funnelscope (or a foreign SQLite file) is refused and left exactly as it was.
 */
function inspectExisting(file: string): void {
  const size = fs.statSync(file).size;
  if (size === 0) return; // a file created by a crash before the first write: safe to initialise
  if (!looksLikeSqlite(file))
    throw new FunnelscopeError(
      'WORKSPACE_INVALID',
      `${file} is not a Funnelscope workspace (not an SQLite file). Choose a .fscope file or a new path.`,
    );
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const appId = probe.pragma('application_id', { simple: true }) as number;
    const tables = probe.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (appId !== APPLICATION_ID && tables.n > 0)
      throw new FunnelscopeError(
        'WORKSPACE_INVALID',
        `${file} is an SQLite database but not a Funnelscope workspace; it was left untouched.`,
      );
    const version = appliedVersion(probe);
    if (version > LATEST_SCHEMA_VERSION)
      throw new FunnelscopeError(
        'WORKSPACE_NEWER',
        `${file} was written by a newer Funnelscope (workspace schema ${version}, this version reads up to ${LATEST_SCHEMA_VERSION}). ` +
          'Update Funnelscope to open it; the file was left untouched.',
        { fileVersion: version, supportedVersion: LATEST_SCHEMA_VERSION },
      );
    if (version > 0) {
      const recorded = probe
        .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
        .all() as {
        version: number;
        name: string;
      }[];
      for (const row of recorded) {
        const known = MIGRATIONS.find((m) => m.version === row.version);
        if (!known || known.name !== row.name)
          throw new FunnelscopeError(
            'WORKSPACE_INVALID',
            `${file} records migration ${row.version} "${row.name}", which this Funnelscope does not know; it was left untouched.`,
          );
      }
    }
  } finally {
    probe.close();
  }
}

function migrate(db: Db, timeZone: string, keyCheck: string | undefined): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const current = appliedVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > current);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.up);
      record.run(migration.version, migration.name, Date.now());
      if (migration.version === 1) {
        const setting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
        setting.run('time_zone', timeZone);
        setting.run('created_at', String(Date.now()));
        if (keyCheck) setting.run('key_check', keyCheck);
      }
    })();
  }
}

export function configureConnection(db: Db, readonly: boolean): void {
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable at transaction granularity in WAL mode: a crash loses at most the last commit, and
    // never leaves a half-written one (an import is one transaction).
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // Readers answer the views' queries from a 64 MB page cache; the writer, which appends and aggregates what
  // it just wrote, does as well with 32 MB, and an import's peak memory stays well under 400 MB.
  db.pragma(readonly ? 'cache_size = -65536' : 'cache_size = -32768');
  db.pragma('busy_timeout = 5000');
}

export function openWorkspace(file: string, options: OpenWorkspaceOptions = {}): Db {
  const exists = fs.existsSync(file);
  if (!exists && !options.create)
    throw new FunnelscopeError(
      'WORKSPACE_NOT_FOUND',
      `No workspace at ${file}. Create one with "funnelscope import … --workspace ${file}" or "funnelscope demo --workspace ${file}".`,
    );
  if (exists) inspectExisting(file);
  if (options.readonly) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    configureConnection(db, true);
    return db;
  }
  const db = new Database(file);
  try {
    // Only takes effect on a new file: 16 KB pages cut B-tree and WAL overhead of bulk inserts (about 10 %).
    db.pragma('page_size = 16384');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    configureConnection(db, false);
    migrate(db, options.timeZone ?? 'UTC', options.keyCheck);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
