import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { failure, harness, importAndCancel, imported, type Harness } from './helpers';

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

const HEADER = 'event_time,event_name,user_id,session_id,device,price';
function goodRows(n: number, day = 5): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `2026-10-0${day}T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,view_item,u${i},s${i},mobile,${(i % 50) + 0.5}`,
  );
}

async function sourcesAndEvents() {
  const info = await h.api.workspace.info(h.workspace);
  return { sources: info.sources.length, events: info.events };
}

test('malformed rows are kept as rejected rows with line and reason; the rest is imported', async () => {
  const rows = goodRows(20);
  rows.splice(3, 0, '2026-10-05T10:00:00Z,view_item,u1,s1,mobile'); // too few fields → line 5
  rows.splice(7, 0, 'yesterday,view_item,u1,s1,mobile,3'); // bad time → line 9
  rows.splice(10, 0, '2026-10-05T10:00:00Z,view_item,u1,s1,mobile,cheap'); // bad number → line 12
  rows.splice(12, 0, '2026-10-05T10:00:00Z,,u1,s1,mobile,3'); // no event → line 14
  const file = path.join(h.dir, 'malformed.csv');
  fs.writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
  const summary = imported((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
  assert.equal(summary.rowsRead, 24);
  assert.equal(summary.rowsImported, 20);
  assert.equal(summary.rowsRejected, 4);
  const byLine = Object.fromEntries(summary.rejected.map((r) => [r.line, r.reason]));
  assert.match(byLine[5] ?? '', /field/);
  assert.match(byLine[9] ?? '', /"yesterday" is not a time/);
  assert.match(byLine[12] ?? '', /price "cheap" is not a number/);
  assert.equal(byLine[14], 'missing event name');
  const stored = await h.api.ingest.rejectedRows(h.workspace, summary.sourceId);
  assert.deepEqual(
    stored.map((r) => r.line),
    [5, 9, 12, 14],
  );
  assert.ok(
    stored.every((r) => !r.excerpt.includes('u1,')),
    'user ids are masked in excerpts',
  );
});

const refusals: { name: string; write: (file: string) => void; code: string; message: RegExp }[] = [
  { name: 'empty.csv', write: (f) => fs.writeFileSync(f, ''), code: 'FILE_EMPTY', message: /empty/ },
  {
    name: 'header-only.csv',
    write: (f) => fs.writeFileSync(f, `${HEADER}\n`),
    code: 'FILE_EMPTY',
    message: /no rows|header/,
  },
  {
    name: 'binary.csv',
    write: (f) => fs.writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
    code: 'FILE_BINARY',
    message: /binary|text/,
  },
  {
    name: 'latin1.csv',
    write: (f) =>
      fs.writeFileSync(
        f,
        Buffer.from(
          `${HEADER}\n${goodRows(5).join('\n')}\n2026-10-05T10:00:00Z,view_item,u1,s1,caf\xe9,1\n`,
          'latin1',
        ),
      ),
    code: 'FILE_ENCODING',
    message: /UTF-8/,
  },
  {
    name: 'not-gzip.csv.gz',
    write: (f) =>
      fs.writeFileSync(
        f,
        Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('garbage that is not deflate')]),
      ),
    code: 'FILE_COMPRESSION|FILE_TRUNCATED',
    message: /gzip/,
  },
  {
    name: 'truncated.csv.gz',
    write: (f) => {
      const full = zlib.gzipSync(`${HEADER}\n${goodRows(3000).join('\n')}\n`);
      fs.writeFileSync(f, full.subarray(0, Math.floor(full.length * 0.6)));
    },
    code: 'FILE_TRUNCATED|FILE_COMPRESSION',
    message: /truncated|ends early/,
  },
  {
    name: 'unknown.csv',
    write: (f) => fs.writeFileSync(f, 'alpha,beta\nx,y\n'),
    code: 'SHAPE_UNKNOWN',
    message: /--preset|--mapping/,
  },
  {
    name: 'all-bad.csv',
    write: (f) => fs.writeFileSync(f, `${HEADER}\nnot-a-time,view_item,u1,s1,mobile,1\n`),
    code: 'NO_VALID_ROWS',
    message: /None of the 1 rows/,
  },
];

for (const refusal of refusals) {
  test(`${refusal.name} is refused with ${refusal.code} and changes nothing`, async () => {
    const before = await sourcesAndEvents();
    const file = path.join(h.dir, refusal.name);
    refusal.write(file);
    const error = failure((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
    assert.match(error.code, new RegExp(`^(${refusal.code})$`), error.message);
    assert.match(error.message, refusal.message);
    assert.deepEqual(await sourcesAndEvents(), before);
  });
}

test('a missing file is refused and the other files of the same import still land', async () => {
  const good = path.join(h.dir, 'good.csv');
  fs.writeFileSync(good, `${HEADER}\n${goodRows(10, 6).join('\n')}\n`);
  const results = await h.api.ingest.importFiles(h.workspace, [path.join(h.dir, 'missing.csv'), good]);
  assert.equal(failure(results[0]).code, 'FILE_NOT_FOUND');
  assert.equal(imported(results[1]).rowsImported, 10);
});

test('cancelling an import rolls it back: no source, no events', async () => {
  const before = await sourcesAndEvents();
  const file = path.join(h.dir, 'large.csv');
  const out = fs.createWriteStream(file);
  out.write(`${HEADER}\n`);
  for (let chunk = 0; chunk < 40; chunk++) out.write(`${goodRows(5000, 7).join('\n')}\n`);
  await new Promise((resolve) => out.end(resolve));
  const { cancelled, result } = await importAndCancel(h, file, 'cancel-me');
  assert.ok(cancelled, 'progress was reported while importing');
  assert.equal(failure(result).code, 'CANCELLED');
  assert.deepEqual(await sourcesAndEvents(), before);
});
