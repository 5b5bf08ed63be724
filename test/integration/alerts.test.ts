/**
 * Alerts against a real workspace (a small demo store through the worker pool): rules → detection → inbox →
 * digest, playbook edits seen by reports, and the `funnelscope alerts` commands.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createApi } from '../../main/api';
import type { AlertEntry, AlertRule } from '../../shared/alerts';
import type { FunnelscopeApi } from '../../shared/api';
import type { DetectionRun } from '../../shared/incidents';
import { EnginePool } from '../../workers/pool/pool';
import { keyFileSecrets } from '../e2e/host/secrets';
import { runCli, tempDir } from './helpers';
import { parseEml } from './support/eml';

let pool: EnginePool;
let api: FunnelscopeApi;
let dir: string;
let workspace: string;
let run: DetectionRun;
const told: { workspace: string; alerts: AlertEntry[] }[] = [];
let everything: AlertRule;

before(async () => {
  pool = new EnginePool({ readers: 1 });
  dir = tempDir('fscope-alerts-');
  workspace = path.join(dir, 'alerts.fscope');
  api = createApi({
    pool,
    // The key file beside the workspace, so that the CLI opens it too.
    secrets: keyFileSecrets,
    onAlerts: (w, alerts) => told.push({ workspace: w, alerts }),
  });
  await api.workspace.createDemo(workspace, { days: 8, seed: 9, sessionsPerDay: 600 });
});
after(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const badArgument = (message: RegExp) => (error: Error & { code?: string }) =>
  error.code === 'BAD_ARGUMENT' && message.test(error.message);

test('a new workspace has the default rule; rules are added, edited, validated and deleted', async () => {
  const [critical, ...others] = await api.alerts.listRules(workspace);
  assert.deepEqual(others, []);
  assert.equal(critical?.name, 'Critical incidents');
  assert.equal(critical?.minSeverity, 'critical');
  assert.equal(critical?.metrics, 'all');
  assert.equal(critical?.cohorts, 'any');

  everything = await api.alerts.saveRule(workspace, {
    name: 'Everything',
    enabled: true,
    minSeverity: 'low',
    metrics: 'all',
    cohorts: 'any',
    quietHours: { from: '22:00', to: '07:00' },
  });
  assert.ok(everything.id > 0);
  assert.deepEqual(everything.quietHours, { from: '22:00', to: '07:00' });
  const off = await api.alerts.saveRule(workspace, {
    name: 'Switched off',
    enabled: false,
    minSeverity: 'low',
    metrics: 'all',
    cohorts: 'any',
    quietHours: null,
  });
  const renamed = await api.alerts.saveRule(workspace, { ...off, name: 'Switched off (renamed)' });
  assert.equal(renamed.id, off.id);
  assert.equal(renamed.name, 'Switched off (renamed)');
  const narrow = await api.alerts.saveRule(workspace, {
    name: 'Nowhere',
    enabled: true,
    minSeverity: 'low',
    metrics: ['errors'],
    cohorts: [{ country: 'Atlantis' }],
    quietHours: null,
  });

  await assert.rejects(
    api.alerts.saveRule(workspace, { ...narrow, id: undefined, metrics: ['conversoin_rate'] }),
    badArgument(/Unknown metric "conversoin_rate"; use one of .*conversion_rate/),
  );
  await assert.rejects(
    api.alerts.saveRule(workspace, { ...narrow, name: '' }),
    badArgument(/Give the rule a name/),
  );
  await assert.rejects(api.alerts.deleteRule(workspace, 999), badArgument(/No alert rule 999/));
  await assert.rejects(api.alerts.deleteRule(workspace, 1.5), badArgument(/positive whole number/));
  await assert.rejects(
    api.alerts.saveRule(workspace, { ...narrow, id: 999 }),
    badArgument(/No alert rule 999/),
  );
  assert.equal((await api.alerts.listRules(workspace)).length, 4);
});

test('detection files each new, non-expected incident under every enabled rule it matches', async () => {
  run = await api.detection.run(workspace, { sensitivity: 'high' });
  const alerting = run.incidents.filter((i) => !i.expected);
  assert.ok(alerting.length > 0, 'the demo has incidents');
  const inbox = await api.alerts.inbox(workspace);
  const rules = await api.alerts.listRules(workspace);
  const byName = (name: string) => inbox.filter((e) => e.ruleName === name);

  assert.deepEqual(
    byName('Everything')
      .map((e) => e.incidentId)
      .sort(),
    alerting.map((i) => i.id).sort(),
    'every new incident that is not an expected change',
  );
  assert.deepEqual(
    byName('Critical incidents')
      .map((e) => e.incidentId)
      .sort(),
    alerting
      .filter((i) => i.severity === 'critical')
      .map((i) => i.id)
      .sort(),
  );
  assert.deepEqual(byName('Switched off (renamed)'), [], 'a disabled rule files nothing');
  assert.deepEqual(byName('Nowhere'), []);
  for (const entry of inbox) {
    assert.equal(entry.read, false);
    assert.ok(rules.some((r) => r.id === entry.ruleId));
    assert.deepEqual(
      entry.incident,
      run.incidents.find((i) => i.id === entry.incidentId),
    );
  }
  assert.equal(told.length, 1, 'the shell was told once');
  assert.equal(told[0]?.workspace, workspace);
  assert.deepEqual(told[0]?.alerts.map((a) => a.id).sort(), inbox.map((e) => e.id).sort());

  // A second run finds the same incidents: nothing is new, nothing is filed twice.
  await api.detection.run(workspace, { sensitivity: 'high' });
  assert.equal((await api.alerts.inbox(workspace)).length, inbox.length);
  assert.equal(told.length, 1);
});

test('entries are marked read and unread; the inbox filters unread and by time', async () => {
  const inbox = await api.alerts.inbox(workspace);
  const first = inbox.slice(0, 2).map((e) => e.id);
  assert.equal(await api.alerts.markRead(workspace, first), first.length);
  assert.equal(await api.alerts.markRead(workspace, first), 0, 'already read');
  const unread = await api.alerts.inbox(workspace, { unread: true });
  assert.equal(unread.length, inbox.length - first.length);
  assert.ok(unread.every((e) => !first.includes(e.id)));
  assert.equal((await api.alerts.inbox(workspace, { to: Date.parse(inbox[0]!.createdAt) })).length, 0);
  assert.equal((await api.alerts.inbox(workspace, { limit: 1 })).length, 1);
  assert.equal(await api.alerts.markRead(workspace, first, false), first.length);
  await assert.rejects(api.alerts.markRead(workspace, [0]), badArgument(/entry ids/));
  await assert.rejects(api.alerts.inbox(workspace, { limit: 0 }), badArgument(/limit is a whole number/));
});

test('the unread alerts export as an e-mail draft: headers, both parts, masked, audited', async () => {
  const unread = await api.alerts.inbox(workspace, { unread: true });
  const out = path.join(dir, 'digest.eml');
  const result = await api.alerts.exportDigest(workspace, {
    format: 'eml',
    out,
    to: 'Growth team <growth@shop.example>',
    from: 'analyst@shop.example',
  });
  assert.equal(result.alerts, unread.length);
  assert.equal(result.file, out);
  assert.match(result.sha256, /^[0-9a-f]{64}$/);
  const eml = parseEml(fs.readFileSync(out, 'utf8'));
  assert.equal(eml.headers.get('to'), 'Growth team <growth@shop.example>');
  assert.equal(eml.headers.get('from'), 'analyst@shop.example');
  assert.match(
    eml.headers.get('subject') ?? '',
    new RegExp(`^Funnelscope alert digest: ${unread.length} alerts?$`),
  );
  assert.match(eml.headers.get('date') ?? '', /^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
  assert.equal(eml.contentType, 'multipart/alternative');
  const [text, html] = eml.parts;
  assert.equal(text?.contentType, 'text/plain');
  assert.equal(html?.contentType, 'text/html');
  assert.match(text?.body ?? '', /1\. \[(CRITICAL|HIGH|MEDIUM|LOW)\] .+ (fell|rose) in /);
  assert.match(text?.body ?? '', /Recommended: /);
  assert.match(text?.body ?? '', /nothing was sent/);
  assert.doesNotMatch(html?.body ?? '', /https?:|src=|href=|url\(/i, 'no remote reference');
  const audit = (await api.reports.audit(workspace)).at(-1);
  assert.equal(audit?.action, 'export');
  assert.match(audit?.target ?? '', /^alert digest eml: unread alerts/);
  assert.equal(audit?.sha256, result.sha256);
  assert.equal((await api.alerts.inbox(workspace, { unread: true })).length, unread.length, 'still unread');
});

test('a period exports as JSON and can mark the alerts read; bad requests say what to do', async () => {
  const out = path.join(dir, 'digest.json');
  const all = await api.alerts.inbox(workspace);
  const result = await api.alerts.exportDigest(workspace, {
    format: 'json',
    out,
    period: { from: Date.now() - 3_600_000, to: Date.now() + 1000 },
    markRead: true,
  });
  assert.equal(result.alerts, all.length);
  const json = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    digest: { scope: string; policy: { minUsers: number } };
    alerts: { rule: string; incident: { id: string; cohort: string; playbook: { steps: string[] } } }[];
  };
  assert.match(json.digest.scope, /^alerts raised /);
  assert.equal(json.digest.policy.minUsers, 10);
  assert.equal(json.alerts.length, all.length);
  assert.ok(json.alerts.every((a) => a.incident.playbook.steps.length > 0));
  assert.deepEqual(await api.alerts.inbox(workspace, { unread: true }), [], 'marked read');

  const empty = await api.alerts.exportDigest(workspace, { format: 'eml', out: path.join(dir, 'empty.eml') });
  assert.equal(empty.alerts, 0);
  assert.match(fs.readFileSync(path.join(dir, 'empty.eml'), 'utf8'), /No alert in this digest/);

  await assert.rejects(
    api.alerts.exportDigest(workspace, { format: 'pdf' as 'eml', out }),
    badArgument(/eml \(an e-mail draft\) or json, not "pdf"/),
  );
  await assert.rejects(
    api.alerts.exportDigest(workspace, { format: 'eml', out: 'relative.eml' }),
    badArgument(/absolute output path/),
  );
  await assert.rejects(
    api.alerts.exportDigest(workspace, { format: 'eml', out, to: 'growth team' }),
    badArgument(/not an e-mail address; write it as/),
  );
  await assert.rejects(
    api.alerts.exportDigest(workspace, { format: 'eml', out, period: { from: 10, to: 5 } }),
    badArgument(/from before to/),
  );
});

test('an edited playbook is used by reports and the incident detail; reset restores the built-in one', async () => {
  const incident = run.incidents[0]!;
  const before = await api.playbooks.forIncident(workspace, incident.id);
  assert.equal(before.edited, false);
  const steps = ['Page the on-call engineer of the affected team.', 'Compare with the last release notes.'];
  const edited = await api.playbooks.update(workspace, before.kind, steps);
  assert.deepEqual(edited.steps, steps);
  assert.deepEqual((await api.playbooks.forIncident(workspace, incident.id)).steps, steps);
  const listed = (await api.playbooks.list(workspace)).find((p) => p.kind === before.kind);
  assert.equal(listed?.edited, true);

  const out = path.join(dir, 'ops.json');
  await api.reports.export(workspace, {
    template: 'operational',
    format: 'json',
    out,
    incident: incident.id,
  });
  assert.ok(fs.readFileSync(out, 'utf8').includes(steps[0]!), 'the report shows the edited steps');

  const reset = await api.playbooks.reset(workspace, before.kind);
  assert.deepEqual(reset.steps, before.steps);
  await assert.rejects(
    api.playbooks.update(workspace, 'volcano' as 'other', ['x']),
    badArgument(/not an incident kind/),
  );
  await assert.rejects(api.playbooks.update(workspace, before.kind, []), badArgument(/at least one step/));
  await assert.rejects(api.playbooks.forIncident(workspace, 'nope'), badArgument(/No incident nope/));
});

test('funnelscope alerts: inbox, rules and digest on the command line', async () => {
  await api.workspace.close(workspace);
  const cli = runCli;
  const w = ['--workspace', workspace];
  const inbox = cli(['alerts', ...w, '--json']);
  assert.equal(inbox.code, 0, inbox.stderr);
  assert.ok((JSON.parse(inbox.stdout) as AlertEntry[]).length > 0);
  assert.match(cli(['alerts', ...w]).stdout, /#\d+ .* \[rule: Everything\]/);

  const add = cli([
    'alerts',
    'rules',
    'add',
    ...w,
    '--name',
    'iOS checkout',
    '--min-severity',
    'medium',
    '--metrics',
    'checkout_conversion,conversion_rate',
    '--cohort',
    'os=iOS',
    '--cohort',
    'device=mobile&browser=Safari',
    '--quiet',
    '22:00-07:00',
    '--json',
  ]);
  assert.equal(add.code, 0, add.stderr);
  const rule = JSON.parse(add.stdout) as AlertRule;
  assert.deepEqual(rule.cohorts, [{ os: 'iOS' }, { device: 'mobile', browser: 'Safari' }]);
  assert.deepEqual(rule.quietHours, { from: '22:00', to: '07:00' });
  const list = cli(['alerts', 'rules', ...w]);
  assert.match(
    list.stdout,
    /#\d+ iOS checkout: medium or worse, checkout_conversion, conversion_rate, os=iOS or device=mobile&browser=Safari, quiet 22:00–07:00/,
  );
  assert.equal(cli(['alerts', 'rules', 'delete', ...w, '--id', String(rule.id)]).code, 0);
  assert.doesNotMatch(cli(['alerts', 'rules', ...w]).stdout, /iOS checkout/);

  const bad = cli(['alerts', 'rules', 'add', ...w, '--name', 'x', '--quiet', '10pm-7am']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--quiet is HH:MM-HH:MM/);
  const unknown = cli(['alerts', 'rules', 'add', ...w, '--name', 'x', '--cohort', 'planet=Mars']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /"planet" in cohort filter 1 is not a dimension/);

  assert.equal(cli(['alerts', 'read', ...w, '--id', '1']).code, 0);
  const out = path.join(dir, 'cli-digest.eml');
  const digest = cli([
    'alerts',
    'digest',
    ...w,
    '--format',
    'eml',
    '--out',
    out,
    '--to',
    'cmo@shop.example',
    '--since',
    '2000-01-01',
    '--until',
    '2100-01-01',
  ]);
  assert.equal(digest.code, 0, digest.stderr);
  assert.match(
    digest.stdout,
    /Alert digest of \d+ alerts? \(eml\): .*cli-digest\.eml[\s\S]*nothing was sent/,
  );
  assert.equal(parseEml(fs.readFileSync(out, 'utf8')).headers.get('to'), 'cmo@shop.example');
  const missing = cli(['alerts', 'digest', ...w, '--format', 'eml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--out FILE/);
});
