import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { harness, imported, REES46, workspaceBytes, type Harness } from './helpers';

/** Figures computed straight from the file, independently of the importer. */
function expectedFromFile() {
  const [header, ...rows] = fs.readFileSync(REES46, 'utf8').trim().split('\n');
  const columns = (header as string).split(',');
  const at = (name: string) => columns.indexOf(name);
  const records = rows.map((line) => line.split(','));
  const count = (type: string) => records.filter((r) => r[at('event_type')] === type).length;
  const purchaseRevenue = records
    .filter((r) => r[at('event_type')] === 'purchase')
    .reduce((sum, r) => sum + Number(r[at('price')]), 0);
  return {
    rows: records.length,
    views: count('view'),
    carts: count('cart'),
    purchases: count('purchase'),
    users: new Set(records.map((r) => r[at('user_id')])).size,
    sessions: new Set(records.map((r) => r[at('user_session')])).size,
    brands: new Set(records.map((r) => r[at('brand')]).filter((b) => b !== '')).size,
    purchaseRevenue,
    rawUserIds: [...new Set(records.map((r) => r[at('user_id')] as string))],
    rawSessions: [...new Set(records.map((r) => r[at('user_session')] as string))],
  };
}

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

test('imports the public REES46 sample with its preset and matches figures computed from the file', async () => {
  const expected = expectedFromFile();
  assert.equal(expected.rows, 1000);
  const [result] = await h.api.ingest.importFiles(h.workspace, [REES46]);
  const summary = imported(result);
  assert.equal(summary.preset, 'rees46');
  assert.equal(summary.shape, 'clickstream');
  assert.equal(summary.rowsRead, expected.rows);
  assert.equal(summary.rowsImported, expected.rows);
  assert.equal(summary.rowsRejected, 0);
  assert.deepEqual(summary.timeSpan, {
    from: Date.UTC(2019, 9, 1, 0, 0, 0),
    to: Date.UTC(2019, 9, 1, 0, 17, 26),
  });

  const info = await h.api.workspace.info(h.workspace, { profile: true });
  const profile = info.profile!;
  const types = Object.fromEntries(profile.eventTypes.map((t) => [t.name, t.events]));
  assert.deepEqual(types, {
    view_item: expected.views,
    add_to_cart: expected.carts,
    purchase: expected.purchases,
  });
  assert.equal(profile.pseudonyms.user, expected.users);
  assert.equal(profile.pseudonyms.session, expected.sessions);
  assert.equal(profile.dimensions.find((d) => d.dimension === 'brand')?.cardinality, expected.brands);

  await h.api.workspace.close(h.workspace);
  const db = new Database(h.workspace, { readonly: true });
  const revenue = db
    .prepare(
      "SELECT SUM(revenue) FROM events e JOIN dim_values d ON d.id = e.type_id WHERE d.value = 'purchase'",
    )
    .pluck()
    .get() as number;
  assert.ok(Math.abs(revenue - expected.purchaseRevenue) < 1e-6, `${revenue} vs ${expected.purchaseRevenue}`);
  // Keys are keyed pseudonyms, not the raw (numeric) user ids of the export.
  const rawIds = expected.rawUserIds.map(Number);
  const keys = db.prepare('SELECT DISTINCT user_key FROM events').pluck().all() as number[];
  db.close();
  assert.equal(keys.length, expected.users);
  assert.ok(keys.every((key) => !rawIds.includes(key)));
  assert.ok(
    !workspaceBytes(h.workspace)
      .toString('latin1')
      .includes(expected.rawSessions[0] as string),
  );
});

test('re-importing the same file is a no-op', async () => {
  const before = await h.api.workspace.info(h.workspace);
  const [result] = await h.api.ingest.importFiles(h.workspace, [REES46]);
  const summary = imported(result);
  assert.equal(summary.status, 'already_imported');
  const afterInfo = await h.api.workspace.info(h.workspace);
  assert.equal(afterInfo.events, before.events);
  assert.equal(afterInfo.sources.length, 1);
});
