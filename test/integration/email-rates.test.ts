import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { harness, imported, type Harness } from './helpers';

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

test("a campaign whose bounce rate is a third above the others' is not an incident; a bounce spike is", async () => {
  // The demo's weekend_sale list bounces at 1.9 % where the newsletters bounce at 1.4–1.6 %; newsletter_w3
  // has three hours at 11 % (the injected incident). The e-mail table does not depend on the session volume.
  await h.api.workspace.createDemo(h.workspace, { days: 14, seed: 1, sessionsPerDay: 2000 });
  const run = await h.api.detection.run(h.workspace, { sensitivity: 'medium' });
  const bounces = run.incidents.filter((i) => i.metric === 'bounce_rate' && !i.expected);
  assert.deepEqual(
    bounces.map((i) => [i.direction, i.cohort.campaign]),
    [['up', 'newsletter_w3']],
    JSON.stringify(bounces, null, 1),
  );
});

test("a send's first hours, with opens still to come, are expected; the same dip later in a send is not", async () => {
  const workspace = h.workspace.replace(/\.fscope$/, '-lag.fscope');
  const HOUR = 3_600_000;
  const start = Date.UTC(2026, 9, 1);
  const rows = ['hour,campaign,sent,delivered,bounced,opens,clicks,unsubscribes'];
  // Ten days of six-hour sends opened at 25 %; on day 10 the new send's first two hours are opened at 2 %
  // (opens trail delivery), and on day 11 a send drops to 2 % in its fifth and sixth hours (broken tracking).
  const openRate = (day: number, hour: number) =>
    (day === 10 && hour < 2) || (day === 11 && hour >= 4) ? 0.02 : 0.25;
  for (let day = 0; day < 12; day++)
    for (let hour = 0; hour < 6; hour++) {
      const at = new Date(start + day * 24 * HOUR + (8 + hour) * HOUR).toISOString();
      const delivered = 19_700;
      const opens = Math.round(delivered * openRate(day, hour) * (1 + ((day * 7 + hour * 3) % 5) / 100));
      rows.push([at, `send_${day}`, 20_000, delivered, 300, opens, Math.round(opens / 10), 2].join(','));
    }
  const file = path.join(h.dir, 'sends.csv');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const [result] = await h.api.ingest.importFiles(workspace, [file]);
  assert.equal(imported(result).preset, 'email-campaigns');
  const run = await h.api.detection.run(workspace, { sensitivity: 'medium' });
  const opens = run.incidents.filter((i) => i.metric === 'open_rate' && i.direction === 'down');
  const of = (campaign: string) => opens.filter((i) => i.cohort.campaign === campaign);
  assert.ok(of('send_10').length > 0 && of('send_10').every((i) => i.expected), JSON.stringify(opens));
  assert.ok(of('send_11').length > 0 && of('send_11').every((i) => !i.expected), JSON.stringify(opens));
});
