import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { FunnelscopeError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import { BATCH_SIZE } from '../../workers/ingest/read/batcher';
import { openFile } from '../../workers/ingest/read/open';
import type { OpenedFile, RawReject, RecordBatch } from '../../workers/ingest/read/types';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-read-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

interface ReadAll {
  records: unknown[];
  lines: number[];
  rejected: RawReject[];
  batches: RecordBatch[];
}

async function readAll(opened: OpenedFile, isCancelled = () => false): Promise<ReadAll> {
  const out: ReadAll = { records: [], lines: [], rejected: [], batches: [] };
  for await (const batch of opened.batches(isCancelled)) {
    assert.equal(batch.records.length, batch.lines.length);
    out.batches.push({ ...batch, records: [], lines: [] });
    for (const r of batch.records) out.records.push(r);
    for (const l of batch.lines) out.lines.push(l);
    out.rejected.push(...batch.rejected);
  }
  return out;
}

async function expectCode(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<FunnelscopeError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof FunnelscopeError, `expected FunnelscopeError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

function csvRows(count: number, start = 0): string {
  const rows: string[] = [];
  for (let i = start; i < start + count; i++)
    rows.push(
      `2019-10-01 00:00:${String(i % 60).padStart(2, '0')} UTC,view,${i},"cat.${i % 7}",${(i % 1000) / 10},u${i}`,
    );
  return rows.join('\n') + '\n';
}
const CSV_HEADER = 'event_time,event_type,product_id,category_code,price,user_id\n';

describe('CSV', () => {
  test('quotes, escaped quotes, embedded newlines, BOM and CRLF', async () => {
    const file = write(
      'quoted.csv',
      '\ufeffid,text,n\r\n' +
        '1,"plain",10\r\n' +
        '2,"with ""quotes"", and comma",20\r\n' +
        '3,"two\r\nline",30\r\n' +
        '4,"three\nlines\r\nhere",40\r\n' +
        '5,last,50\r\n',
    );
    const opened = await openFile(file);
    assert.equal(opened.format, 'csv');
    assert.equal(opened.compression, 'none');
    assert.equal(opened.delimiter, ',');
    assert.deepEqual(opened.columns, ['id', 'text', 'n']);
    assert.deepEqual(opened.sample[1], { id: '2', text: 'with "quotes", and comma', n: '20' });
    const all = await readAll(opened);
    assert.deepEqual(all.records, [
      ['1', 'plain', '10'],
      ['2', 'with "quotes", and comma', '20'],
      ['3', 'two\r\nline', '30'],
      ['4', 'three\nlines\r\nhere', '40'],
      ['5', 'last', '50'],
    ]);
    assert.deepEqual(all.lines, [2, 3, 4, 6, 9]);
    assert.deepEqual(all.rejected, []);
    assert.equal(all.batches.at(-1)?.bytesRead, fs.statSync(file).size);
  });

  test('line numbers stay right when multi-line fields cross chunk boundaries', async () => {
    let text = 'id,note,value\n';
    let line = 2;
    const expected: number[] = [];
    const values: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      expected.push(line);
      const breaks = i % 13 === 0 ? 2 : i % 7 === 0 ? 1 : 0;
      const note = breaks === 0 ? `note ${i}` : `"note ${i}${'\nmore'.repeat(breaks)} ""q"""`;
      values.push(breaks === 0 ? `note ${i}` : `note ${i}${'\nmore'.repeat(breaks)} "q"`);
      text += `${i},${note},${'x'.repeat(i % 50)}\n`;
      line += 1 + breaks;
      if (i % 1000 === 999) {
        text += '\n';
        line++;
      }
    }
    const opened = await openFile(write('multiline.csv', text));
    const all = await readAll(opened);
    assert.equal(all.records.length, 20_000);
    assert.deepEqual(all.lines, expected);
    assert.deepEqual(
      all.records.map((r) => (r as string[])[1]),
      values,
    );
  });

  test('multi-byte characters across chunk boundaries decode intact', async () => {
    const words = ['café', '日本語', 'naïve', '😀 emoji', 'Ωmega', 'plain'];
    let text = 'id,word\n';
    for (let i = 0; i < 30_000; i++) text += `${i},${words[i % words.length]}\n`;
    const all = await readAll(await openFile(write('utf8.csv', text)));
    assert.equal(all.records.length, 30_000);
    for (let i = 0; i < 30_000; i += 997)
      assert.deepEqual(all.records[i], [String(i), words[i % words.length]]);
  });

  test('sniffs tab, semicolon and pipe; an explicit delimiter wins', async () => {
    const tsv = await openFile(write('data.tsv', 'a\tb\tc\n1\t2,5\t3\n4\t5\t6\n'));
    assert.equal(tsv.format, 'tsv');
    assert.equal(tsv.delimiter, '\t');
    assert.deepEqual((await readAll(tsv)).records, [
      ['1', '2,5', '3'],
      ['4', '5', '6'],
    ]);

    const semi = await openFile(
      write('semi.csv', 'date;amount;note\n2024-01-01;1,50;a,b\n2024-01-02;2,75;c\n'),
    );
    assert.equal(semi.format, 'csv');
    assert.equal(semi.delimiter, ';');
    assert.deepEqual(semi.columns, ['date', 'amount', 'note']);
    assert.deepEqual(semi.sample[0], { date: '2024-01-01', amount: '1,50', note: 'a,b' });

    const pipe = await openFile(write('pipe.txt', 'a|b\n1|2\n'));
    assert.equal(pipe.delimiter, '|');

    const forced = await openFile(write('forced.csv', 'a;b,c\n1;2,3\n'), { delimiter: ',' });
    assert.deepEqual(forced.columns, ['a;b', 'c']);
    const tab = await openFile(write('forced-tab.csv', 'a\tb\n1\t2\n'), { delimiter: 'tab' });
    assert.equal(tab.delimiter, '\t');
  });

  test('a row with the wrong number of fields is rejected with its line; the others are kept', async () => {
    const file = write('short.csv', 'a,b,c\n1,2,3\n4,5\n\n6,7,8\n9,10,11,12\n"multi\nline",x\n13,14,15\n');
    const all = await readAll(await openFile(file));
    assert.deepEqual(all.records, [
      ['1', '2', '3'],
      ['6', '7', '8'],
      ['13', '14', '15'],
    ]);
    assert.deepEqual(all.lines, [2, 5, 9]);
    assert.deepEqual(all.rejected, [
      { line: 3, reason: 'expected 3 fields, found 2', raw: '4,5' },
      { line: 6, reason: 'expected 3 fields, found 4', raw: '9,10,11,12' },
      { line: 7, reason: 'expected 3 fields, found 2', raw: '"multi\nline",x' },
    ]);
  });

  test('an unterminated quote at the end of the file is rejected, the lines after it are kept', async () => {
    const all = await readAll(await openFile(write('open-quote.csv', 'a,b\n1,2\n3,"oops\n5,6\n7,8')));
    assert.deepEqual(all.records, [
      ['1', '2'],
      ['5', '6'],
      ['7', '8'],
    ]);
    assert.deepEqual(all.lines, [2, 4, 5]);
    assert.equal(all.rejected.length, 1);
    assert.equal(all.rejected[0]?.line, 3);
    assert.match(all.rejected[0]?.reason ?? '', /unterminated quoted field/);
    assert.equal(all.rejected[0]?.raw, '3,"oops');
  });

  test('raw text of a reject is cut to 500 characters', async () => {
    const all = await readAll(
      await openFile(write('long-reject.csv', `a,b\n1,2\n${'x'.repeat(2000)}\n3,4\n`)),
    );
    assert.equal(all.rejected.length, 1);
    assert.equal(all.rejected[0]?.raw.length, 500);
  });

  test('old Mac line endings (CR only) and header names cleaned up', async () => {
    const opened = await openFile(write('cr.csv', ' id ,,id\r1,2,3\r4,5,6\r'));
    assert.deepEqual(opened.columns, ['id', 'column_2', 'id_2']);
    const all = await readAll(opened);
    assert.deepEqual(all.lines, [2, 3]);
  });

  test('accessor reads a column of a CSV record', async () => {
    const opened = await openFile(write('acc.csv', 'a,b\n1,2\n'));
    assert.equal(opened.accessor('b')(['1', '2']), '2');
    assert.equal(opened.accessor('missing')(['1', '2']), undefined);
  });

  test('the sample holds the first 1,000 records and batches() starts again from the beginning', async () => {
    const opened = await openFile(write('sample.csv', CSV_HEADER + csvRows(2500)));
    assert.equal(opened.sample.length, 1000);
    assert.equal(opened.sample[0]?.product_id, '0');
    assert.equal(opened.sample[999]?.product_id, '999');
    const all = await readAll(opened);
    assert.equal(all.records.length, 2500);
    assert.deepEqual(all.records[0], Object.values(opened.sample[0] ?? {}));
    assert.equal(all.lines[0], 2);
    assert.equal(all.lines.at(-1), 2501);
  });

  test('a 300k-row CSV streams in bounded batches', async () => {
    const file = path.join(dir, 'big.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, CSV_HEADER);
    for (let i = 0; i < 300_000; i += 50_000) fs.writeSync(fd, csvRows(50_000, i));
    fs.closeSync(fd);
    const opened = await openFile(file);
    let count = 0;
    let batches = 0;
    let maxBatch = 0;
    let lastBytes = 0;
    let expectedLine = 2;
    for await (const batch of opened.batches(() => false)) {
      batches++;
      maxBatch = Math.max(maxBatch, batch.records.length);
      assert.ok(batch.bytesRead >= lastBytes);
      lastBytes = batch.bytesRead;
      for (const line of batch.lines) assert.equal(line, expectedLine++);
      count += batch.records.length;
      assert.equal(batch.rejected.length, 0);
    }
    assert.equal(count, 300_000);
    assert.ok(batches >= 15, `expected many batches, got ${batches}`);
    assert.ok(maxBatch <= BATCH_SIZE, `batch of ${maxBatch} records`);
    assert.ok(maxBatch >= 1000, `batches too small (${maxBatch})`);
    assert.equal(lastBytes, fs.statSync(file).size);
  });

  test('cancellation stops after the current batch', async () => {
    const file = write('cancel.csv', CSV_HEADER + csvRows(100_000));
    const opened = await openFile(file);
    let cancelled = false;
    let batches = 0;
    let rows = 0;
    for await (const batch of opened.batches(() => cancelled)) {
      batches++;
      rows += batch.records.length;
      cancelled = true;
    }
    assert.equal(batches, 1);
    assert.ok(rows < 100_000);
  });

  test('the real REES46 sample', async () => {
    const opened = await openFile('/work/shared/data/rees46/2019-Oct-sample.csv');
    assert.equal(opened.format, 'csv');
    assert.deepEqual(opened.columns, [
      'event_time',
      'event_type',
      'product_id',
      'category_id',
      'category_code',
      'brand',
      'price',
      'user_id',
      'user_session',
    ]);
    const all = await readAll(opened);
    assert.equal(all.records.length, 1000);
    assert.equal(all.rejected.length, 0);
    assert.equal(all.lines[0], 2);
    assert.equal(all.lines.at(-1), 1001);
    assert.equal(opened.sample.length, 1000);
  });
});

describe('JSON Lines', () => {
  const jsonl =
    '{"event":"view","ts":1,"context":{"device":{"type":"mobile"},"page":"/p"},"items":[1,2]}\r\n' +
    '\n' +
    '{"event":"cart","ts":2,"context":{"device":{"type":"desktop"}},"extra":null}\n' +
    '{"event": "broken", oops}\n' +
    '[1,2,3]\n' +
    '   \n' +
    '{"event":"purchase","ts":3,"big":12345678901234567890}';

  test('nested objects flattened to dot paths, bad lines rejected with their line', async () => {
    const opened = await openFile(write('events.jsonl', jsonl));
    assert.equal(opened.format, 'jsonl');
    assert.deepEqual(opened.columns, [
      'event',
      'ts',
      'context.device.type',
      'context.page',
      'items',
      'extra',
      'big',
    ]);
    const all = await readAll(opened);
    assert.deepEqual(all.records, [
      { event: 'view', ts: 1, 'context.device.type': 'mobile', 'context.page': '/p', items: '[1,2]' },
      { event: 'cart', ts: 2, 'context.device.type': 'desktop', extra: null },
      { event: 'purchase', ts: 3, big: 12345678901234567000 },
    ]);
    assert.deepEqual(all.lines, [1, 3, 7]);
    assert.equal(all.rejected.length, 2);
    assert.equal(all.rejected[0]?.line, 4);
    assert.match(all.rejected[0]?.reason ?? '', /^invalid JSON: /);
    assert.doesNotMatch(all.rejected[0]?.reason ?? '', /broken/);
    assert.equal(all.rejected[0]?.raw, '{"event": "broken", oops}');
    assert.deepEqual(all.rejected[1], {
      line: 5,
      reason: 'expected a JSON object, found an array',
      raw: '[1,2,3]',
    });
    assert.equal(opened.accessor('context.device.type')(all.records[0]), 'mobile');
  });

  test('detected by content when the extension says nothing', async () => {
    const opened = await openFile(write('export.txt', '{"a":{"b":1}}\n{"a":{"b":2}}\n'));
    assert.equal(opened.format, 'jsonl');
    assert.deepEqual(opened.columns, ['a.b']);
  });

  test('line numbers across chunks', async () => {
    let text = '';
    const expected: number[] = [];
    let line = 1;
    for (let i = 0; i < 25_000; i++) {
      expected.push(line);
      text += JSON.stringify({ i, pad: 'p'.repeat(i % 40), nested: { k: `é${i}` } }) + '\n';
      line++;
      if (i % 100 === 0) {
        text += '\n';
        line++;
      }
    }
    const all = await readAll(await openFile(write('many.ndjson', text)));
    assert.equal(all.records.length, 25_000);
    assert.deepEqual(all.lines, expected);
    assert.deepEqual(all.records[24_999], { i: 24_999, pad: 'p'.repeat(24_999 % 40), 'nested.k': 'é24999' });
  });
});

describe('Parquet', () => {
  function parquetBytes(rows: number): Buffer {
    const ids: bigint[] = [];
    const events: string[] = [];
    const times: Date[] = [];
    const prices: (number | null)[] = [];
    for (let i = 0; i < rows; i++) {
      ids.push(i === 1 ? 9007199254740993n : BigInt(i));
      events.push(i % 3 === 0 ? 'view' : 'cart');
      times.push(new Date(1_570_000_000_000 + i * 1000));
      prices.push(i % 5 === 0 ? null : i / 4);
    }
    return Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'user_id', data: ids, type: 'INT64' },
          { name: 'event_type', data: events, type: 'STRING' },
          { name: 'event_time', data: times, type: 'TIMESTAMP' },
          { name: 'price', data: prices, type: 'DOUBLE' },
          {
            name: 'context',
            data: Array.from({ length: rows }, (_, i) => ({ device: { type: `d${i % 2}` } })),
            type: 'JSON',
          },
        ],
        rowGroupSize: 10_000,
      }),
    );
  }

  test('written by hyparquet-writer, read back flattened with row numbers', async () => {
    const opened = await openFile(write('events.parquet', parquetBytes(25_000)));
    assert.equal(opened.format, 'parquet');
    assert.equal(opened.compression, 'none');
    assert.deepEqual(opened.columns, ['user_id', 'event_type', 'event_time', 'price', 'context.device.type']);
    assert.equal(opened.sample.length, 1000);
    assert.deepEqual(opened.sample[1], {
      user_id: '9007199254740993',
      event_type: 'cart',
      event_time: 1_570_000_001_000,
      price: 0.25,
      'context.device.type': 'd1',
    });
    const all = await readAll(opened);
    assert.equal(all.records.length, 25_000);
    assert.deepEqual(all.lines.slice(0, 3), [1, 2, 3]);
    assert.equal(all.lines.at(-1), 25_000);
    assert.deepEqual(all.records[24_999], {
      user_id: 24_999,
      event_type: 'view',
      event_time: 1_570_000_000_000 + 24_999_000,
      price: 24_999 / 4,
      'context.device.type': 'd1',
    });
    assert.equal(opened.accessor('event_type')(all.records[0]), 'view');
    assert.ok(all.batches.every((b, i) => i === 0 || b.bytesRead >= (all.batches[i - 1]?.bytesRead ?? 0)));
    assert.equal(all.batches.at(-1)?.bytesRead, opened.bytesTotal);
  });

  test('a truncated Parquet file', async () => {
    const bytes = parquetBytes(100);
    await expectCode(
      openFile(write('cut.parquet', bytes.subarray(0, bytes.length - 50))),
      'FILE_TRUNCATED',
      /truncated/,
    );
  });
});

describe('gzip', () => {
  test('gzipped CSV', async () => {
    const text = CSV_HEADER + csvRows(3000);
    const opened = await openFile(write('events.csv.gz', zlib.gzipSync(text)));
    assert.equal(opened.compression, 'gzip');
    assert.equal(opened.format, 'csv');
    const all = await readAll(opened);
    assert.equal(all.records.length, 3000);
    assert.equal(all.lines.at(-1), 3001);
  });

  test('gzip is detected by content, not by name', async () => {
    const opened = await openFile(write('plain-name.csv', zlib.gzipSync('a,b\n1,2\n')));
    assert.equal(opened.compression, 'gzip');
    assert.deepEqual((await readAll(opened)).records, [['1', '2']]);
  });

  test('gzipped JSON Lines', async () => {
    const opened = await openFile(
      write('events.jsonl.gz', zlib.gzipSync('{"a":{"b":1}}\nnope\n{"a":{"b":2}}\n')),
    );
    assert.equal(opened.compression, 'gzip');
    assert.equal(opened.format, 'jsonl');
    const all = await readAll(opened);
    assert.deepEqual(all.records, [{ 'a.b': 1 }, { 'a.b': 2 }]);
    assert.deepEqual(
      all.rejected.map((r) => r.line),
      [2],
    );
  });

  test('gzipped Parquet is decompressed to a temporary file that is removed afterwards', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [1, 2, 3], type: 'INT32' },
        { name: 'name', data: ['a', 'b', 'c'], type: 'STRING' },
      ],
    });
    const temporaries = () =>
      fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`funnelscope-${process.pid}-`));
    const opened = await openFile(write('table.parquet.gz', zlib.gzipSync(Buffer.from(bytes))));
    assert.equal(opened.compression, 'gzip');
    assert.equal(opened.format, 'parquet');
    const all = await readAll(opened);
    assert.deepEqual(all.records, [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
    assert.deepEqual(temporaries(), []);
    // a second pass decompresses again
    assert.equal((await readAll(opened)).records.length, 3);
    assert.deepEqual(temporaries(), []);
  });
});

describe('fatal file problems', () => {
  test('missing file', async () => {
    await expectCode(openFile(path.join(dir, 'nope.csv')), 'FILE_NOT_FOUND');
  });

  test('empty file, blank file and header-only file', async () => {
    await expectCode(openFile(write('empty.csv', '')), 'FILE_EMPTY', /is empty/);
    await expectCode(openFile(write('blank.csv', '\n\r\n  \n')), 'FILE_EMPTY', /is empty/);
    await expectCode(openFile(write('header.csv', 'a,b,c\r\n')), 'FILE_EMPTY', /has a header but no rows/);
    await expectCode(openFile(write('empty.csv.gz', zlib.gzipSync(''))), 'FILE_EMPTY', /is empty/);
  });

  test('binary file', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    await expectCode(openFile(write('blob.csv', bytes)), 'FILE_BINARY');
  });

  test('Latin-1 byte at the start fails at open', async () => {
    const latin = Buffer.from('name,city\nJos\xe9,Paris\n', 'latin1');
    const error = await expectCode(openFile(write('latin-start.csv', latin)), 'FILE_ENCODING', /UTF-8/);
    assert.equal(error.details?.offset, 'name,city\nJos'.length);
  });

  test('Latin-1 byte after 200 KB fails from batches() with its offset', async () => {
    const head = Buffer.from(CSV_HEADER + csvRows(4000));
    assert.ok(head.length > 200 * 1024);
    const file = write(
      'latin-late.csv',
      Buffer.concat([head, Buffer.from('x,view,1,"caf\xe9",1,u\n', 'latin1')]),
    );
    const opened = await openFile(file);
    const error = await expectCode(readAll(opened), 'FILE_ENCODING', /re-export/i);
    assert.equal(error.details?.offset, head.length + 'x,view,1,"caf'.length);
  });

  test('UTF-16 with and without a byte order mark', async () => {
    const text = 'a,b\n1,2\n3,4\n';
    await expectCode(
      openFile(write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))),
      'FILE_ENCODING',
      /UTF-16/,
    );
    await expectCode(
      openFile(write('utf16-nobom.csv', Buffer.from(text, 'utf16le'))),
      'FILE_ENCODING',
      /UTF-16/,
    );
  });

  test('a .gz file that is not gzip', async () => {
    await expectCode(openFile(write('fake.csv.gz', 'a,b\n1,2\n')), 'FILE_COMPRESSION');
    await expectCode(
      openFile(write('bad-header.csv.gz', Buffer.from([0x1f, 0x8b, 0x99, 1, 2, 3, 4, 5, 6, 7]))),
      'FILE_COMPRESSION',
    );
  });

  test('a truncated gzip stream', async () => {
    const small = zlib.gzipSync('a,b\n1,2\n3,4\n');
    await expectCode(
      openFile(write('cut-small.csv.gz', small.subarray(0, small.length - 6))),
      'FILE_TRUNCATED',
      /truncated/,
    );

    const big = zlib.gzipSync(CSV_HEADER + csvRows(100_000));
    const opened = await openFile(write('cut-big.csv.gz', big.subarray(0, Math.floor(big.length * 0.6))));
    await expectCode(readAll(opened), 'FILE_TRUNCATED', /gzip stream .* ends early/);
  });

  test('unrecognised formats', async () => {
    await expectCode(openFile(write('array.json', '[{"a":1},{"a":2}]')), 'FORMAT_UNKNOWN', /JSON array/);
    await expectCode(openFile(write('pretty.json', '{\n  "a": 1\n}\n')), 'FORMAT_UNKNOWN', /pretty-printed/);
    await expectCode(openFile(write('page.csv', '<html><body>hi</body></html>')), 'FORMAT_UNKNOWN');
    await expectCode(openFile(write('fake.parquet', 'a,b\n1,2\n')), 'FORMAT_UNKNOWN', /PAR1/);
    await expectCode(openFile(write('notes.md', 'just some prose\nwithout columns\n')), 'FORMAT_UNKNOWN');
  });

  test('other compressions are refused with a way out', async () => {
    await expectCode(
      openFile(write('book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))),
      'FILE_COMPRESSION',
      /ZIP/,
    );
  });
});
