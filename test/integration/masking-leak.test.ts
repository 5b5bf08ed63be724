import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { failure, harness, imported, workspaceBytes, type Harness } from './helpers';

const users = Array.from({ length: 40 }, (_, i) => `cust-${981273640 + i}`);
const emails = users.map((_, i) => `alice.smith${i}@example.org`);
const ips = users.map((_, i) => `203.0.113.${10 + i}`);
const sessions = users.map((_, i) => `sess-7f3a9c${1000 + i}`);
const orders = users.map((_, i) => `ORD-55219${870 + i}`);
const phones = users.map((_, i) => `+44 20 7946 ${String(1000 + i).padStart(4, '0')}`);
const identifiers = [...users, ...emails, ...ips, ...sessions, ...orders, ...phones];

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

test('no raw identifier and no e-mail, IP or phone reaches any byte of the workspace', async () => {
  const csv = ['event_time,event_name,user_id,session_id,email,ip,device,os,region,order_id,revenue,note'];
  users.forEach((user, i) => {
    const t = `2026-10-05T10:${String(i).padStart(2, '0')}:00Z`;
    csv.push(
      `${t},page_view,${user},${sessions[i]},${emails[i]},${ips[i]},mobile,iOS,${phones[i]},,,call ${phones[i]} or ${emails[i]}`,
    );
    csv.push(
      `${t},purchase,${user},${sessions[i]},${emails[i]},${ips[i]},mobile,iOS,${phones[i]},${orders[i]},42.5,paid`,
    );
  });
  // A malformed row whose identifiers must be masked in the stored rejected-row excerpt.
  csv.push(
    `not-a-time,purchase,${users[0]},${sessions[0]},${emails[0]},${ips[0]},mobile,iOS,${phones[0]},${orders[0]},1,x`,
  );
  const csvFile = path.join(h.dir, 'clicks.csv');
  fs.writeFileSync(csvFile, `${csv.join('\n')}\n`);

  const segment = users.map((user, i) =>
    JSON.stringify({
      type: 'track',
      event: 'Order Completed',
      userId: user,
      anonymousId: sessions[i],
      timestamp: `2026-10-05T11:${String(i).padStart(2, '0')}:00.000Z`,
      context: {
        ip: ips[i],
        traits: { email: emails[i], phone: phones[i] },
        device: { type: 'mobile' },
        os: { name: 'Android' },
        location: { country: 'GB' },
      },
      properties: { order_id: orders[i], revenue: 19.99 },
    }),
  );
  const segmentFile = path.join(h.dir, 'segment.jsonl.gz');
  fs.writeFileSync(segmentFile, zlib.gzipSync(`${segment.join('\n')}\n`));

  const annotations = path.join(h.dir, 'annotations.csv');
  fs.writeFileSync(
    annotations,
    `start,end,kind,label,cohort\n2026-10-05T09:00:00Z,,deploy,web-512 by ${emails[0]} from ${ips[0]},os=iOS\n`,
  );

  const results = await h.api.ingest.importFiles(h.workspace, [csvFile, segmentFile, annotations]);
  const clicks = imported(results[0]);
  assert.equal(clicks.rowsImported, users.length * 2);
  assert.equal(clicks.rowsRejected, 1);
  assert.ok(
    clicks.pii.some((p) => p.column === 'region' && p.kind === 'phone' && p.action === 'mask_dimension'),
  );
  assert.ok(clicks.pii.some((p) => p.column === 'email' && p.action === 'drop'));
  assert.equal(imported(results[1]).rowsImported, users.length);
  assert.equal(imported(results[2]).rowsImported, 1);

  const info = await h.api.workspace.info(h.workspace, { profile: true });
  assert.equal(info.profile?.pseudonyms.order, orders.length);
  await h.api.workspace.close(h.workspace);

  const bytes = workspaceBytes(h.workspace);
  const text = bytes.toString('latin1');
  for (const id of identifiers) assert.ok(!text.includes(id), `"${id}" found in the workspace file`);
  // The digits of a phone number without its spaces, and the key, are not there either.
  for (const phone of phones) assert.ok(!text.includes(phone.replace(/\s/g, '')));
  const secretFile = `${h.workspace}.key`;
  assert.ok(!fs.existsSync(secretFile), 'the test secret provider writes no key file');
});

test('a PII-looking column kept as a plain dimension needs an explicit, recorded choice', async () => {
  const file = path.join(h.dir, 'plain.csv');
  fs.writeFileSync(
    file,
    `event_time,event_name,user_id,region\n${users.map((u, i) => `2026-10-06T10:00:0${i % 10}Z,page_view,${u},${phones[i]}`).join('\n')}\n`,
  );
  const [result] = await h.api.ingest.importFiles(h.workspace, [file], {
    mapping: {
      shape: 'clickstream',
      columns: {
        event_time: { role: 'time' },
        event_name: { role: 'event' },
        user_id: { role: 'identifier', as: 'user' },
        region: { role: 'dimension', as: 'region' },
      },
      keepPlain: ['region'],
    },
  });
  const summary = imported(result);
  assert.ok(summary.pii.some((p) => p.column === 'region' && p.action === 'kept_plain'));
  const info = await h.api.workspace.info(h.workspace);
  const source = info.sources.find((s) => s.id === summary.sourceId);
  assert.deepEqual(source?.mapping.keepPlain, ['region']);
});

test('an unknown preset is refused with the list of presets', async () => {
  const [result] = await h.api.ingest.importFiles(h.workspace, [path.join(h.dir, 'clicks.csv')], {
    preset: 'nope',
  });
  const error = failure(result);
  assert.equal(error.code, 'BAD_ARGUMENT');
  assert.match(error.message, /rees46/);
});
