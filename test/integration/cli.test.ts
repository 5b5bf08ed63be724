import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { REES46, runCli, tempDir } from './helpers';

const CLI = path.resolve('main/cli.ts');

const cli = runCli;

test('import --json prints machine-readable results and creates a private key file', () => {
  const workspace = path.join(tempDir(), 'cli.fscope');
  const run = cli(['import', REES46, '--workspace', workspace, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.results[0].rowsImported, 1000);
  assert.equal(out.results[0].preset, 'rees46');
  const mode = fs.statSync(`${workspace}.key`).mode & 0o777;
  assert.equal(mode, 0o600);

  const info = cli(['info', '--workspace', workspace, '--json']);
  assert.equal(info.code, 0, info.stderr);
  const parsed = JSON.parse(info.stdout);
  assert.equal(parsed.events, 1000);
  assert.equal(parsed.sources[0].fileName, '2019-Oct-sample.csv');
  assert.ok(parsed.profile.dimensions.some((d: { dimension: string }) => d.dimension === 'brand'));

  const text = cli(['info', '--workspace', workspace]);
  assert.match(text.stdout, /events: 1,000/);
});

test('bad input gives a one-line error and a non-zero exit code', () => {
  const dir = tempDir();
  const workspace = path.join(dir, 'w.fscope');
  const missing = cli(['import', path.join(dir, 'nope.csv'), '--workspace', workspace]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /nope\.csv: .*does not exist/);

  const usage = cli(['import', '--workspace', workspace]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /needs at least one FILE/);

  const unknownFlag = cli(['import', REES46, '--workspace', workspace, '--colour']);
  assert.equal(unknownFlag.code, 2);

  const noWorkspace = cli(['info', '--workspace', path.join(dir, 'none.fscope')]);
  assert.equal(noWorkspace.code, 1);
  assert.equal(noWorkspace.stderr.trim().split('\n').length, 1);
  assert.match(noWorkspace.stderr, /No workspace at/);
});

test('a process killed mid-import leaves a workspace that opens, with no partial source', async () => {
  const dir = tempDir();
  const workspace = path.join(dir, 'killed.fscope');
  const first = cli(['import', REES46, '--workspace', workspace]);
  assert.equal(first.code, 0, first.stderr);

  const big = path.join(dir, 'big.csv');
  const out = fs.createWriteStream(big);
  out.write('event_time,event_name,user_id,session_id,device,price\n');
  for (let c = 0; c < 60; c++) {
    const rows: string[] = [];
    for (let i = 0; i < 10000; i++)
      rows.push(`2026-10-05T10:00:00Z,view_item,u${i},s${c}-${i},mobile,${i % 90}`);
    out.write(`${rows.join('\n')}\n`);
  }
  await new Promise((resolve) => out.end(resolve));

  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', big, '--workspace', workspace], {
    stdio: 'ignore',
  });
  // Kill once the import has written into the WAL, i.e. mid-transaction.
  const wal = `${workspace}-wal`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(wal) && fs.statSync(wal).size > 4 << 20) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  const db = new Database(workspace);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(db.prepare('SELECT COUNT(*) FROM sources').pluck().get(), 1);
  assert.equal(db.prepare('SELECT COUNT(*) FROM events').pluck().get(), 1000);
  db.close();
  const info = cli(['info', '--workspace', workspace, '--json']);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(JSON.parse(info.stdout).sources.length, 1);
});
