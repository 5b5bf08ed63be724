import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { failure, harness, importAndCancel, imported, REES46, type Harness } from './helpers';

// Every event import of this file runs on two threads (encode worker + writer), whatever the file size.
process.env.FUNNELSCOPE_IMPORT_PIPELINE = 'always';

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
  delete process.env.FUNNELSCOPE_IMPORT_PIPELINE;
});

function snapshot(workspace: string) {
  const db = new Database(workspace, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT t.value AS type, b.value AS brand, COUNT(*) AS n, COUNT(DISTINCT user_key) AS users,
           COUNT(DISTINCT session_key) AS sessions, ROUND(SUM(price), 2) AS price, ROUND(SUM(revenue), 2) AS revenue
         FROM events e JOIN dim_values t ON t.id = e.type_id LEFT JOIN dim_values b ON b.id = e.brand
         GROUP BY type, brand ORDER BY type, brand`,
      )
      .all();
  } finally {
    db.close();
  }
}

test('the two-thread import stores exactly what the single-thread import stores', async () => {
  const summary = imported((await h.api.ingest.importFiles(h.workspace, [REES46]))[0]);
  assert.equal(summary.rowsImported, 1000);
  await h.api.workspace.close(h.workspace);
  const piped = snapshot(h.workspace);

  process.env.FUNNELSCOPE_IMPORT_PIPELINE = 'never';
  const single = harness();
  try {
    imported((await single.api.ingest.importFiles(single.workspace, [REES46]))[0]);
    await single.api.workspace.close(single.workspace);
    assert.deepEqual(snapshot(single.workspace), piped);
  } finally {
    await single.close();
    process.env.FUNNELSCOPE_IMPORT_PIPELINE = 'always';
  }
});

test('rejected rows cross the thread boundary with their lines, reasons and masked excerpts', async () => {
  const file = path.join(h.dir, 'rejects.csv');
  const rows = ['event_time,event_name,user_id,device,price'];
  for (let i = 0; i < 30; i++)
    rows.push(`2026-10-05T10:00:${String(i).padStart(2, '0')}Z,page_view,user-${i},mobile,${i}`);
  rows.splice(5, 0, 'soon,page_view,user-secret-1,mobile,1');
  rows.splice(9, 0, '2026-10-05T10:00:00Z,page_view,user-secret-2,mobile');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const summary = imported((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
  assert.equal(summary.rowsImported, 30);
  assert.deepEqual(
    summary.rejected.map((r) => r.line),
    [6, 10],
  );
  assert.match(summary.rejected[0]?.reason ?? '', /"soon" is not a time/);
  assert.ok(summary.rejected.every((r) => !r.excerpt.includes('user-secret')));
});

test('a bad byte deep in the file fails the import on the encode thread and rolls everything back', async () => {
  const before = (await h.api.workspace.info(h.workspace)).events;
  const file = path.join(h.dir, 'late-latin1.csv');
  const lines = ['event_time,event_name,user_id,device'];
  for (let i = 0; i < 20000; i++) lines.push(`2026-10-06T10:00:00Z,page_view,u${i},mobile`);
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(`${lines.join('\n')}\n`),
      Buffer.from('2026-10-06T10:00:00Z,page_view,u1,caf\xe9\n', 'latin1'),
    ]),
  );
  const error = failure((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
  assert.equal(error.code, 'FILE_ENCODING');
  const info = await h.api.workspace.info(h.workspace);
  assert.equal(info.events, before);
  assert.ok(!info.sources.some((s) => s.fileName === 'late-latin1.csv'));
});

test('cancelling a two-thread import rolls it back', async () => {
  const before = (await h.api.workspace.info(h.workspace)).events;
  const file = path.join(h.dir, 'big.csv');
  const lines = ['event_time,event_name,user_id,session_id,device'];
  for (let i = 0; i < 150000; i++)
    lines.push(`2026-10-07T10:00:00Z,view_item,u${i % 5000},s${i % 20000},mobile`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const { cancelled, result } = await importAndCancel(h, file, 'piped');
  assert.ok(cancelled);
  assert.equal(failure(result).code, 'CANCELLED');
  assert.equal((await h.api.workspace.info(h.workspace)).events, before);
});
