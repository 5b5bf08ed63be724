import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApi } from '../../main/api';
import type { ErrorShape } from '../../shared/errors';
import { EnginePool, type WorkerCrash } from '../../workers/pool/pool';
import { fixedSecrets, imported, REES46, tempDir } from './helpers';

/** About 40 MB of events: long enough an import to kill its thread in the middle. */
async function writeBigCsv(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write('event_time,event_name,user_id,session_id,device,price\n');
  for (let c = 0; c < 60; c++) {
    const rows: string[] = [];
    for (let i = 0; i < 10000; i++)
      rows.push(`2026-10-05T10:00:00Z,view_item,u${i},s${c}-${i},mobile,${i % 90}`);
    out.write(`${rows.join('\n')}\n`);
  }
  await new Promise((resolve) => out.end(resolve));
}

test('a writer thread killed mid-import fails its job with WORKER_CRASHED, restarts, and leaves no partial source', async () => {
  const dir = tempDir();
  const workspace = path.join(dir, 'crash.fscope');
  const big = path.join(dir, 'big.csv');
  await writeBigCsv(big);
  const crashes: WorkerCrash[] = [];
  const pool = new EnginePool({ readers: 1, onWorkerCrash: (crash) => crashes.push(crash) });
  const api = createApi({ pool, secrets: fixedSecrets() });
  try {
    const [first] = await api.ingest.importFiles(workspace, [REES46]);
    assert.equal(imported(first).rowsImported, 1000);

    // Kill the writer once the big import has written rows inside its transaction.
    let killed: Promise<void> | undefined;
    const job = api.ingest.importFiles(
      workspace,
      [big],
      {},
      {
        jobId: 'big',
        onProgress: (p) => {
          if (!killed && p.phase === 'importing' && p.rowsRead >= 100_000)
            killed = pool.debugTerminateWriter();
        },
      },
    );
    await assert.rejects(job, (error: ErrorShape) => {
      assert.equal(error.code, 'WORKER_CRASHED');
      assert.match(error.message, /rolled back/);
      assert.match(error.message, /restarted/);
      return true;
    });
    assert.ok(killed, 'the import never reached 100,000 rows before finishing');
    await killed;
    assert.equal(crashes.length, 1);
    assert.equal(crashes[0]?.worker, 'writer.worker');

    // The next writer call runs on a fresh thread, which reopens the workspace by itself.
    const info = await api.workspace.open(workspace);
    assert.equal(info.sources.length, 1);
    assert.equal(info.events, 1000);
    const small = path.join(dir, 'small.csv');
    fs.writeFileSync(
      small,
      'event_time,event_name,user_id,session_id,device,price\n2026-10-06T10:00:00Z,view_item,u1,s1,mobile,5\n',
    );
    const [again] = await api.ingest.importFiles(workspace, [small]);
    assert.equal(imported(again).rowsImported, 1);
  } finally {
    await pool.close();
  }

  const db = new Database(workspace, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(db.prepare('SELECT COUNT(*) FROM sources').pluck().get(), 2);
    assert.equal(db.prepare('SELECT COUNT(*) FROM events').pluck().get(), 1001);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a thread that runs out of memory fails its job with WORKER_CRASHED and the process lives on', async () => {
  const dir = tempDir();
  const crashes: WorkerCrash[] = [];
  // A heap far too small for the writer: it dies of out-of-memory, the process does not.
  const pool = new EnginePool({
    readers: 1,
    memoryLimitMb: 8,
    onWorkerCrash: (crash) => crashes.push(crash),
  });
  const api = createApi({ pool, secrets: fixedSecrets() });
  try {
    await assert.rejects(
      api.ingest.importFiles(path.join(dir, 'oom.fscope'), [REES46]),
      (error: ErrorShape) => {
        assert.equal(error.code, 'WORKER_CRASHED');
        assert.match(error.message, /ran out of memory \(limit 8 MB\)/);
        return true;
      },
    );
    // The idle reader thread, on the same tiny heap, may die of it too.
    assert.deepEqual(
      crashes.find((c) => c.worker === 'writer.worker'),
      { worker: 'writer.worker', outOfMemory: true, exitCode: 1, error: null },
    );
  } finally {
    await pool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a closed pool refuses calls instead of starting threads', async () => {
  const pool = new EnginePool({ readers: 1 });
  await pool.close();
  assert.throws(() => pool.read((api) => api.info('nowhere.fscope')), /shut down/);
});
