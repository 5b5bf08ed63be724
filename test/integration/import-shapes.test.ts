import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { harness, imported, REES46, type Harness } from './helpers';

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

const rees = fs.readFileSync(REES46, 'utf8').trim().split('\n');
const reesHeader = (rees[0] as string).split(',');
const reesRows = rees.slice(1).map((line) => line.split(','));

function counts(workspace: string, sourceId: number) {
  const db = new Database(workspace, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT d.value AS type, COUNT(*) AS n, ROUND(SUM(COALESCE(e.revenue, 0)), 2) AS revenue
         FROM events e JOIN dim_values d ON d.id = e.type_id WHERE e.source_id = ? GROUP BY d.value ORDER BY d.value`,
      )
      .all(sourceId);
  } finally {
    db.close();
  }
}

test('the same export as CSV, TSV, JSON Lines, Parquet and gzip imports to the same events', async () => {
  const variants: Record<string, Buffer> = {};
  // Each variant differs by one trailing column so that its bytes (and SHA-256) differ from the others.
  const withTag = (tag: string) =>
    [...reesHeader, 'note'].join(',') + '\n' + reesRows.map((r) => [...r, tag].join(',')).join('\n');
  variants['csv.csv'] = Buffer.from(withTag('csv'));
  variants['crlf-bom.csv'] = Buffer.from(`\ufeff${withTag('crlf').replace(/\n/g, '\r\n')}`);
  variants['tabs.tsv'] = Buffer.from(withTag('tsv').replace(/,/g, '\t'));
  variants['semicolons.csv.gz'] = zlib.gzipSync(withTag('semi').replace(/,/g, ';'));
  variants['events.jsonl'] = Buffer.from(
    reesRows.map((r) => JSON.stringify(Object.fromEntries(reesHeader.map((c, i) => [c, r[i]])))).join('\n'),
  );
  variants['events.jsonl.gz'] = zlib.gzipSync(`${variants['events.jsonl'].toString()}\n\n`);
  const column = (name: string) => reesRows.map((r) => r[reesHeader.indexOf(name)] as string);
  variants['events.parquet'] = Buffer.from(
    parquetWriteBuffer({
      columnData: [
        ...['event_time', 'event_type', 'category_code', 'brand', 'user_session'].map((name) => ({
          name,
          data: column(name),
          type: 'STRING' as const,
        })),
        { name: 'product_id', data: column('product_id').map(BigInt), type: 'INT64' as const },
        { name: 'price', data: column('price').map(Number), type: 'DOUBLE' as const },
        { name: 'user_id', data: column('user_id').map(BigInt), type: 'INT64' as const },
      ],
    }),
  );
  variants['events.parquet.gz'] = zlib.gzipSync(variants['events.parquet']);

  const reference = new Map<string, unknown>();
  for (const [name, bytes] of Object.entries(variants)) {
    const file = path.join(h.dir, name);
    fs.writeFileSync(file, bytes);
    const summary = imported((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
    assert.equal(summary.rowsImported, 1000, name);
    assert.equal(summary.rowsRejected, 0, name);
    assert.equal(summary.preset, 'rees46', name);
    assert.equal(summary.compression, name.endsWith('.gz') ? 'gzip' : 'none', name);
    assert.deepEqual(
      summary.timeSpan,
      { from: Date.UTC(2019, 9, 1), to: Date.UTC(2019, 9, 1, 0, 17, 26) },
      name,
    );
    await h.api.workspace.close(h.workspace);
    const got = counts(h.workspace, summary.sourceId);
    if (reference.size === 0) reference.set('events', got);
    assert.deepEqual(got, reference.get('events'), name);
  }
  const info = await h.api.workspace.info(h.workspace, { profile: true });
  // Pseudonyms are keyed and stable: every variant maps the same 330 users to the same keys.
  assert.equal(info.profile?.pseudonyms.user, 330);
  assert.equal(info.profile?.pseudonyms.session, 372);
});

test('Segment / RudderStack calls: track, page and identify map to the canonical funnel', async () => {
  const calls = [
    { type: 'page', anonymousId: 'a1', timestamp: '2026-10-05T10:00:00Z', context: { os: { name: 'iOS' } } },
    {
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'a1',
      timestamp: '2026-10-05T10:00:05Z',
      properties: { product_id: 'p1', price: 20 },
    },
    {
      type: 'track',
      event: 'Product Added',
      anonymousId: 'a1',
      timestamp: '2026-10-05T10:00:09Z',
      properties: { product_id: 'p1', price: 20, quantity: 2 },
    },
    {
      type: 'identify',
      userId: 'user-1',
      anonymousId: 'a1',
      timestamp: '2026-10-05T10:00:10Z',
      traits: { email: 'x@example.org' },
    },
    {
      type: 'track',
      event: 'Checkout Started',
      userId: 'user-1',
      timestamp: '2026-10-05T10:01:00+02:00',
      properties: { revenue: 40 },
    },
    {
      type: 'track',
      event: 'Order Completed',
      userId: 'user-1',
      timestamp: 1791194520000,
      context: { campaign: { name: 'ig_sale', source: 'instagram' }, location: { country: 'DE' } },
      properties: { order_id: 'o-1', revenue: 40 },
    },
  ];
  const file = path.join(h.dir, 'segment.ndjson');
  fs.writeFileSync(file, calls.map((c) => JSON.stringify(c)).join('\n'));
  const summary = imported((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
  assert.equal(summary.preset, 'segment');
  // The time column is read as ISO (most rows); the one epoch value is rejected with its reason, not guessed.
  assert.equal(summary.rowsRead, 6);
  assert.equal(summary.rowsImported, 5);
  assert.deepEqual(
    summary.rejected.map((r) => [r.line, r.reason]),
    [[6, 'timestamp "1791194520000" is not a time']],
  );
  await h.api.workspace.close(h.workspace);
  const got = counts(h.workspace, summary.sourceId) as { type: string }[];
  const types = got.map((g) => g.type);
  for (const t of ['page_view', 'view_item', 'add_to_cart', 'identify', 'begin_checkout'])
    assert.ok(types.includes(t), t);
});

test('pre-aggregated e-mail and social tables become measures; empty cells are missing, not zero', async () => {
  const email = path.join(h.dir, 'email.csv');
  fs.writeFileSync(
    email,
    'hour,campaign,sent,delivered,bounced,opens,clicks,unsubscribes\n' +
      '2026-10-05T10:00:00Z,newsletter_w1,1000,980,20,300,40,2\n' +
      '2026-10-05T11:00:00Z,newsletter_w1,1000,950,50,,35,1\n',
  );
  const social = path.join(h.dir, 'social.csv');
  fs.writeFileSync(
    social,
    'date,platform,impressions,engagements,clicks\n2026-10-05,instagram,5000,250,40\n2026-10-06,tiktok,8000,600,90\n',
  );
  const [e, s] = await h.api.ingest.importFiles(h.workspace, [email, social]);
  assert.equal(imported(e).preset, 'email-campaigns');
  assert.equal(imported(s).preset, 'social-engagement');
  await h.api.workspace.close(h.workspace);
  const db = new Database(h.workspace, { readonly: true });
  const rows = db
    .prepare(
      `SELECT m.value AS measure, COUNT(*) AS n, SUM(v.value) AS total FROM metric_values v
       JOIN dim_values m ON m.id = v.measure_id WHERE v.source_id = ? GROUP BY m.value ORDER BY m.value`,
    )
    .all(imported(e).sourceId);
  db.close();
  assert.deepEqual(rows, [
    { measure: 'bounced', n: 2, total: 70 },
    { measure: 'clicks', n: 2, total: 75 },
    { measure: 'delivered', n: 2, total: 1930 },
    { measure: 'opens', n: 1, total: 300 },
    { measure: 'sent', n: 2, total: 2000 },
    { measure: 'unsubscribes', n: 2, total: 3 },
  ]);
});

test('orders become purchases with revenue; annotations keep kind, label, cohort and an optional end', async () => {
  const orders = path.join(h.dir, 'orders.csv');
  fs.writeFileSync(
    orders,
    'order_id,created_at,customer_id,amount,items,country,channel\nA-1,2026-10-05 10:00:00,c1,59.90,2,DE,web\nA-2,2026-10-05 11:30:00,c2,120.00,1,FR,app\n',
  );
  const annotations = path.join(h.dir, 'annotations.csv');
  fs.writeFileSync(
    annotations,
    'start,end,kind,label,cohort\n2026-10-05T09:53:00Z,,deploy,web-512 checkout release,os=iOS&browser=Safari\n2026-10-06T00:00:00Z,2026-10-08T00:00:00Z,promo,Autumn sale,\n2026-10-07T00:00:00Z,,promo,bad cohort,os:iOS\n',
  );
  const [o, a] = await h.api.ingest.importFiles(h.workspace, [orders, annotations], {
    timeZone: 'Europe/Berlin',
  });
  const order = imported(o);
  assert.equal(order.preset, 'orders');
  // Naive times are in the given zone: 10:00 in Berlin (CEST) is 08:00 UTC.
  assert.equal(order.timeSpan?.from, Date.UTC(2026, 9, 5, 8, 0, 0));
  const annotation = imported(a);
  assert.equal(annotation.rowsImported, 2);
  assert.equal(annotation.rowsRejected, 1);
  assert.match(annotation.rejected[0]?.reason ?? '', /dim=value/);
  await h.api.workspace.close(h.workspace);
  const db = new Database(h.workspace, { readonly: true });
  assert.deepEqual(counts(h.workspace, order.sourceId), [{ type: 'purchase', n: 2, revenue: 179.9 }]);
  const stored = db.prepare('SELECT kind, label, cohort, end_ts FROM annotations ORDER BY start_ts').all();
  db.close();
  assert.deepEqual(stored, [
    { kind: 'deploy', label: 'web-512 checkout release', cohort: 'os=iOS&browser=Safari', end_ts: null },
    { kind: 'promo', label: 'Autumn sale', cohort: '', end_ts: Date.UTC(2026, 9, 8) },
  ]);
});

test('an explicit mapping file maps unusual column names, with custom event names and epoch seconds', async () => {
  const file = path.join(h.dir, 'odd.csv');
  fs.writeFileSync(
    file,
    'when,what,who,plat\n1791194400,seen,u1,ios\n1791194460,bought,u1,ios\n1791194470,,u2,ios\n',
  );
  const mappingFile = path.join(h.dir, 'mapping.json');
  fs.writeFileSync(
    mappingFile,
    JSON.stringify({
      shape: 'clickstream',
      columns: {
        when: { role: 'time' },
        what: { role: 'event' },
        who: { role: 'identifier', as: 'user' },
        plat: { role: 'dimension', as: 'os' },
      },
      eventNames: { seen: 'view_item', bought: 'purchase' },
      timeFormat: 'epoch_s',
    }),
  );
  const { readMappingFile } = await import('../../workers/ingest/mapping-file');
  const summary = imported(
    (await h.api.ingest.importFiles(h.workspace, [file], { mapping: readMappingFile(mappingFile) }))[0],
  );
  assert.equal(summary.rowsImported, 2);
  assert.equal(summary.rejected[0]?.line, 4);
  assert.equal(summary.timeSpan?.from, 1791194400000);
  await h.api.workspace.close(h.workspace);
  assert.deepEqual(
    (counts(h.workspace, summary.sourceId) as { type: string }[]).map((c) => c.type),
    ['purchase', 'view_item'],
  );
  assert.throws(() => {
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({ shape: 'clickstream', columns: { when: { role: 'when' } } }),
    );
    readMappingFile(mappingFile);
  }, /not valid/);
});

test('the quick summary (from source records) agrees with a scan of every event and metric value', async () => {
  const info = await h.api.workspace.info(h.workspace);
  assert.equal(info.profile, null, 'the profile is read only on request');
  await h.api.workspace.close(h.workspace);
  const { openWorkspace } = await import('../../workers/store/workspace');
  const db = openWorkspace(h.workspace, { readonly: true });
  try {
    const one = (sql: string) => db.prepare(sql).get() as Record<string, number | null>;
    assert.ok(info.sources.length >= 5, 'several shapes were imported');
    assert.equal(info.events, one('SELECT COUNT(*) AS n FROM events').n);
    const span = one(
      'SELECT MIN(ts) AS "from", MAX(ts) AS "to" FROM (SELECT ts FROM events UNION ALL SELECT ts FROM metric_values)',
    );
    assert.deepEqual(info.timeSpan, { from: span.from, to: span.to });
  } finally {
    db.close();
  }
});

test('preview lists every preset and reads the file again with the one the analyst chooses', async () => {
  const file = path.join(h.dir, 'preset-choice.csv');
  fs.writeFileSync(file, `${reesHeader.join(',')}\n${reesRows.map((r) => r.join(',')).join('\n')}\n`);
  const detected = await h.api.ingest.preview(file);
  assert.equal(detected.preset, 'rees46');
  const names = detected.presets.map((p) => p.name);
  for (const name of ['rees46', 'ga4', 'clickstream', 'segment', 'orders', 'annotations'])
    assert.ok(names.includes(name), name);
  assert.ok(detected.presets.every((p) => p.description.length > 0));
  const chosen = await h.api.ingest.preview(file, { preset: 'clickstream' });
  assert.equal(chosen.preset, 'clickstream');
  await assert.rejects(
    h.api.ingest.preview(file, { preset: 'no-such-preset' }),
    /no-such-preset[\s\S]*rees46/,
  );
});
