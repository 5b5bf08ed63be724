import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FunnelscopeError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../workers/store/migrations';
import { APPLICATION_ID, openWorkspace } from '../../workers/store/workspace';
import { tempDir } from './helpers';

function refusal(fn: () => unknown): FunnelscopeError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof FunnelscopeError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

test('a new workspace is WAL-mode SQLite with its migrations recorded', () => {
  const file = path.join(tempDir(), 'new.fscope');
  const db = openWorkspace(file, { create: true, timeZone: 'Europe/Berlin' });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
  const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  assert.deepEqual(
    recorded,
    MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
  );
  assert.equal(
    db.prepare("SELECT value FROM settings WHERE key = 'time_zone'").pluck().get(),
    'Europe/Berlin',
  );
  db.close();
  // Opening again applies nothing twice.
  const again = openWorkspace(file);
  assert.equal(again.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get(), MIGRATIONS.length);
  again.close();
});

test('a workspace written by a newer version is refused and left byte-for-byte untouched', () => {
  const file = path.join(tempDir(), 'future.fscope');
  openWorkspace(file, { create: true }).close();
  const db = new Database(file);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
    LATEST_SCHEMA_VERSION + 1,
    'from the future',
    Date.now(),
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
  const before = fs.readFileSync(file);
  const error = refusal(() => openWorkspace(file));
  assert.equal(error.code, 'WORKSPACE_NEWER');
  assert.match(error.message, /newer Funnelscope/);
  assert.match(error.message, /Update Funnelscope/);
  assert.ok(fs.readFileSync(file).equals(before));
  assert.ok(!fs.existsSync(`${file}-wal`));
});

test('a migration history this version does not know is refused', () => {
  const file = path.join(tempDir(), 'diverged.fscope');
  openWorkspace(file, { create: true }).close();
  const db = new Database(file);
  db.prepare('UPDATE schema_migrations SET name = ? WHERE version = 1').run('someone else');
  db.close();
  assert.equal(refusal(() => openWorkspace(file)).code, 'WORKSPACE_INVALID');
});

test('foreign files are refused, not rewritten', () => {
  const dir = tempDir();
  const text = path.join(dir, 'notes.fscope');
  fs.writeFileSync(text, 'just some text that is not a database');
  assert.equal(refusal(() => openWorkspace(text)).code, 'WORKSPACE_INVALID');
  assert.equal(fs.readFileSync(text, 'utf8'), 'just some text that is not a database');

  const other = path.join(dir, 'other.sqlite');
  const db = new Database(other);
  db.exec('CREATE TABLE t (x)');
  db.close();
  const before = fs.readFileSync(other);
  assert.equal(refusal(() => openWorkspace(other)).code, 'WORKSPACE_INVALID');
  assert.ok(fs.readFileSync(other).equals(before));
});

test('opening a missing workspace without create says how to make one', () => {
  const error = refusal(() => openWorkspace(path.join(tempDir(), 'missing.fscope')));
  assert.equal(error.code, 'WORKSPACE_NOT_FOUND');
  assert.match(error.message, /funnelscope demo --workspace/);
});
