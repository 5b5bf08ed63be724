import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { EvidenceLine, IncidentExplanation } from '../../shared/attribution';
import type { Incident } from '../../shared/incidents';
import { scoreDetection, type TruthIncident } from '../bench/support/score-detection';
import { harness, type Harness } from './helpers';

/** Ground-truth event types → the evidence metric that shows them. */
const EVENT_METRIC: Record<string, string> = {
  payment_failed: 'payment_failures',
  latency_ms: 'latency',
  error: 'errors',
};
type Truth = TruthIncident & { annotation?: string; evidence?: string[] };

let h: Harness;
const found: { truth: Truth; incident: Incident; explanation: IncidentExplanation }[] = [];
before(async () => {
  h = harness();
  const demo = await h.api.workspace.createDemo(h.workspace, { days: 14, seed: 2, sessionsPerDay: 20_000 });
  const run = await h.api.detection.run(h.workspace);
  const truth = JSON.parse(fs.readFileSync(demo.groundTruthFile, 'utf8'));
  const score = scoreDetection(run.incidents, truth.incidents, truth.expected);
  for (const row of score.rows)
    if (row.match)
      found.push({
        truth: row.truth as Truth,
        incident: row.match,
        explanation: await h.api.attribution.explain(h.workspace, row.match.id),
      });
});
after(async () => {
  await h.close();
});

test('the evidence of an injected release-caused incident ranks the release and the moved metrics on top', () => {
  const caused = found.filter((f) => f.truth.annotation);
  assert.ok(caused.length > 0, 'detection should find at least one injected incident caused by a release');
  for (const { truth, explanation } of caused) {
    const lines = explanation.evidence;
    const describe = lines.map((l) => `${l.score} ${l.summary}`).join('\n');
    const release = lines.findIndex((l) => l.kind === 'annotation' && l.details.label === truth.annotation);
    assert.ok(release >= 0 && release < 3, `${truth.id}: the release should be in the top 3:\n${describe}`);
    assert.equal(lines.find((l) => l.kind === 'annotation')?.details.label, truth.annotation);
    const wanted = (truth.evidence ?? []).map((e) => EVENT_METRIC[e]).filter(Boolean);
    const top = lines.slice(0, 4).flatMap((l) => (l.kind === 'metric' ? [l.details.metric] : []));
    assert.ok(
      wanted.some((m) => top.includes(m!)),
      `${truth.id}: one of ${wanted.join(', ')} should be in the top lines:\n${describe}`,
    );
    for (const line of lines) {
      assert.ok(line.score >= 0 && line.score <= 1);
      assert.match(line.summary, /\d/, 'every line says why with numbers');
    }
    assert.deepEqual(explanation.localization, explanation.incident.attribution);
  }
  // Best first.
  for (const { explanation } of found)
    for (let i = 1; i < explanation.evidence.length; i++)
      assert.ok(explanation.evidence[i - 1]!.score >= explanation.evidence[i]!.score);
});

test('an unrelated deploy hours before an incident without a causing annotation does not rank first', () => {
  for (const { truth, explanation } of found.filter((f) => !f.truth.annotation)) {
    const first = explanation.evidence[0];
    assert.ok(!first || first.kind !== 'annotation' || first.score < 0.1, `${truth.id}: ${first?.summary}`);
  }
});

test("a category's out-of-stock is explained: its orders fell, other categories held, out_of_stock events rose", () => {
  const stock = found.find((f) => f.truth.kind === 'out_of_stock');
  assert.ok(stock, 'detection should find the injected out-of-stock');
  const lines = stock.explanation.evidence;
  const describe = lines.map((l) => `${l.score} ${l.summary}`).join('\n');
  const orders = lines.find(
    (l): l is Extract<EvidenceLine, { kind: 'metric' }> =>
      l.kind === 'metric' && l.details.metric === 'orders',
  );
  assert.ok(orders && orders.details.z < -2, `the category's orders should have fallen:\n${describe}`);
  assert.deepEqual(orders.details.cohort, stock.truth.cohort);
  const confined = lines.find(
    (l): l is Extract<EvidenceLine, { kind: 'confinement' }> =>
      l.kind === 'confinement' && l.details.inside.metric === stock.incident.metric,
  );
  assert.ok(confined, `a line should say whether the drop stayed in the category:\n${describe}`);
  assert.match(confined.summary, /confined to the cohort/);
  // The shop's own out_of_stock events (a custom event type, counted from the events table) rose there.
  const soldOut = lines.find(
    (l): l is Extract<EvidenceLine, { kind: 'metric' }> =>
      l.kind === 'metric' && l.details.metric === 'out_of_stock',
  );
  assert.ok(soldOut && soldOut.details.z > 3, `out_of_stock events should have risen:\n${describe}`);
  assert.match(soldOut.summary, /out of stock events in category=shoes rose/);
});

test('funnelscope attribute prints the localisation and the evidence; --json the explanation', () => {
  const target = found.find((f) => f.truth.annotation) ?? found[0];
  assert.ok(target, 'detection should find an injected incident');
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve('main/cli.ts'), ...args], {
      encoding: 'utf8',
    });
  const id = target.incident.id;
  const text = cli(['attribute', '--workspace', h.workspace, '--incident', id]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^${id}: ${target.incident.metric} ${target.incident.direction} in `));
  assert.match(
    text.stdout,
    /Where \(localisation\):\n {2}(1\. .+ — \d+ % of the deviation, score \d\.\d{3}|no cohort localisation)/,
  );
  assert.match(
    text.stdout,
    /Evidence \((the change began about \d\d:\d\d UTC, before detection saw it; )?window \d\d:\d\d–\d\d:\d\d UTC, best first\):/,
  );
  if (target.truth.annotation) assert.ok(text.stdout.includes(`"${target.truth.annotation}"`), text.stdout);
  const json = cli(['attribute', '--workspace', h.workspace, '--incident', id, '--json']);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(target.explanation)));
  assert.equal(cli(['attribute', '--workspace', h.workspace]).status, 2);
  const unknown = cli(['attribute', '--workspace', h.workspace, '--incident', 'inc-nope']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /No incident inc-nope/);
});
