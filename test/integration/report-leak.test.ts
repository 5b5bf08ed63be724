import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ReportFormat, ReportTemplate } from '../../shared/reports';
import type { IncidentRecord } from '../../shared/explore';
import { redactText } from '../../workers/mask/pii';
import { findChromium } from '../../workers/report/pdf';
import { pdfText } from '../../workers/report/scan';
import { harness, imported, type Harness } from './helpers';
import { decodeQuotedPrintable, parseEml } from './support/eml';

/**
 * The leak test of issue 7: a workspace holding known identifiers (user and order ids, e-mails, IPs, phone
 * numbers, also in free text and as a dimension), with incidents found by detection, a note and an
 * annotation carrying PII, exported in every template and format. No identifier and no workspace pseudonym
 * may appear in any byte of any output.
 */
const N = 60;
const users = Array.from({ length: N }, (_, i) => `cust-${981273640 + i}`);
const emails = users.map((_, i) => `alice.smith${i}@example.org`);
const ips = users.map((_, i) => `203.0.113.${10 + i}`);
const sessions = users.map((_, i) => `sess-7f3a9c${1000 + i}`);
const orders = users.map((_, i) => `ORD-55219${870 + i}`);
const phones = users.map((_, i) => `+44 20 7946 ${String(1000 + i).padStart(4, '0')}`);
const noteEmail = 'jane.doe@example.com';
const noteIp = '198.51.100.77';
const notePhone = '+49 30 1234 5678';
const identifiers = [
  ...users,
  ...emails,
  ...ips,
  ...sessions,
  ...orders,
  ...phones,
  noteEmail,
  noteIp,
  notePhone,
];

const TEMPLATES: ReportTemplate[] = ['executive', 'operational'];
const FORMATS: ReportFormat[] = ['html', 'pdf', 'csv', 'json'];
const chromium = findChromium();

let h: Harness;
let top: IncidentRecord;
/** An incident in the alert inbox whose note carries PII (see the digest test). */
let alerted: string;
let outDir: string;

function keysOf(workspace: string): { keys: Set<string>; maskedValues: string[] } {
  const db = new Database(workspace, { readonly: true });
  try {
    const keys = new Set<string>();
    for (const row of db.prepare('SELECT user_key, session_key, order_key FROM events').raw().iterate())
      for (const k of row as (number | null)[]) if (k !== null) keys.add(String(k));
    const maskedValues = db
      .prepare("SELECT value FROM dim_values WHERE dim = 'region'")
      .pluck()
      .all() as string[];
    return { keys, maskedValues: maskedValues.filter((v) => /^[A-Za-z0-9_-]{22}$/.test(v)) };
  } finally {
    db.close();
  }
}

/** Every key that occurs anywhere in the text lies inside a maximal run of digits: check all its substrings. */
function pseudonymsIn(text: string, keys: Set<string>): string[] {
  const lengths = new Set([...keys].map((k) => k.length));
  const hits = new Set<string>();
  for (const run of text.match(/\d+/g) ?? [])
    for (const len of lengths)
      for (let i = 0; i + len <= run.length; i++) {
        const sub = run.slice(i, i + len);
        if (keys.has(sub)) hits.add(sub);
      }
  return [...hits];
}

/** Everything a reader of the file could see: its bytes, and for a PDF its extracted text and streams. */
function readable(file: string): string {
  const bytes = fs.readFileSync(file);
  if (!file.endsWith('.pdf')) return bytes.toString('utf8');
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return `${bytes.toString('latin1')}\n${pdfText(bytes)}\n${text}`;
}

before(async () => {
  h = harness();
  outDir = path.join(h.dir, 'out');
  fs.mkdirSync(outDir);
  // Enough traffic for real incidents with revenue at risk (the executive report's chart) at medium sensitivity.
  await h.api.workspace.createDemo(h.workspace, { days: 10, sessionsPerDay: 8000, seed: 7 });
  const info = await h.api.workspace.info(h.workspace);
  const span = info.timeSpan as { from: number; to: number };
  // Identifier-laden events spread over the demo period, so that they fall inside incident windows.
  const csv = ['event_time,event_name,user_id,session_id,email,ip,device,region,order_id,revenue,comment'];
  users.forEach((user, i) => {
    const t = new Date(span.from + ((span.to - span.from) * (i + 0.5)) / N).toISOString();
    csv.push(
      `${t},page_view,${user},${sessions[i]},${emails[i]},${ips[i]},mobile,${phones[i]},,,call ${phones[i]} or ${emails[i]}`,
    );
    csv.push(
      `${t},purchase,${user},${sessions[i]},${emails[i]},${ips[i]},mobile,${phones[i]},${orders[i]},42.5,paid ${emails[i]}`,
    );
  });
  const file = path.join(h.dir, 'identifiers.csv');
  fs.writeFileSync(file, `${csv.join('\n')}\n`);
  const [result] = await h.api.ingest.importFiles(h.workspace, [file]);
  const summary = imported(result);
  assert.ok(summary.pii.some((p) => p.column === 'region' && p.action === 'mask_dimension'));

  // Every new incident is filed in the alert inbox; the rule's name carries PII that digests must redact.
  await h.api.alerts.saveRule(h.workspace, {
    name: `Everything, tell ${noteEmail}`,
    enabled: true,
    minSeverity: 'low',
    metrics: 'all',
    cohorts: 'any',
    quietHours: null,
  });
  const run = await h.api.detection.run(h.workspace);
  assert.ok(run.incidents.length > 0, 'detection finds the demo incidents');
  top = [...run.incidents].sort(
    (a, b) => b.impact.revenueAtRisk - a.impact.revenueAtRisk,
  )[0] as IncidentRecord;
  // An annotation at the onset whose label carries PII: it is in the operational timeline, redacted.
  const annotations = path.join(h.dir, 'annotations.csv');
  fs.writeFileSync(
    annotations,
    `start,end,kind,label,cohort\n${top.start},,deploy,web-512 by ${emails[0]} from ${ips[0]},\n`,
  );
  imported((await h.api.ingest.importFiles(h.workspace, [annotations]))[0]);
  await h.api.incidents.label(
    h.workspace,
    top.id,
    'true_alarm',
    `Confirmed by ${noteEmail} (${notePhone}) from ${noteIp}; see ticket 4711.`,
  );
});

after(async () => {
  await h.close();
});

test('every template in every format carries no identifier and no workspace pseudonym', async (t) => {
  const written: string[] = [];
  for (const template of TEMPLATES)
    for (const format of FORMATS) {
      const out = path.join(outDir, `${template}.${format}`);
      if (format === 'pdf' && !chromium) {
        await assert.rejects(h.api.reports.export(h.workspace, { template, format, out }), /install/i);
        t.diagnostic('no Chromium: the PDF export said how to install one');
        continue;
      }
      const result = await h.api.reports.export(h.workspace, { template, format, out });
      assert.ok(result.incidents > 0);
      assert.equal(result.redactedTexts > 0, true, 'the note (and the annotation label) were redacted');
      for (const f of result.files) written.push(f.file);
    }
  assert.ok(written.length >= 2 * 3 + (chromium ? 2 : 0));
  await h.api.workspace.close(h.workspace);
  const { keys, maskedValues } = keysOf(h.workspace);
  assert.ok(keys.size > 1000 && maskedValues.length >= N, 'the workspace has pseudonyms to leak');
  for (const file of written) {
    const text = readable(file);
    for (const id of identifiers) assert.ok(!text.includes(id), `"${id}" found in ${path.basename(file)}`);
    for (const phone of phones)
      assert.ok(!text.includes(phone.replace(/\s/g, '')), `phone digits in ${file}`);
    assert.deepEqual(pseudonymsIn(text, keys), [], `workspace pseudonyms in ${path.basename(file)}`);
    for (const value of maskedValues) assert.ok(!text.includes(value), `masked region value in ${file}`);
    // Nothing the PII rules would flag either (SVG geometry aside: it is numbers ECharts wrote).
    const content = text.replace(/\s(d|transform|points|viewBox|x|y|width|height)="[^"]*"/g, ' ');
    if (!file.endsWith('.pdf'))
      assert.equal(redactText(content), content, `PII pattern in ${path.basename(file)}`);
  }
  const operational = fs.readFileSync(path.join(outDir, 'operational.html'), 'utf8');
  assert.match(operational, /Confirmed by \[email\] \(\[phone\]\) from \[ip\]; see ticket 4711\./);
  assert.match(operational, /web-512 by \[email\] from \[ip\]/);
});

test('the alert digests, as e-mail draft and JSON, carry no identifier and no workspace pseudonym', async () => {
  const inbox = await h.api.alerts.inbox(h.workspace, { unread: true });
  assert.ok(inbox.length > 0, 'detection filed alerts');
  // The digest must carry a PII note to redact: the top incident's, or (when the top one is an expected change,
  // which files no alert) the same note on an alerted incident.
  alerted = inbox.find((e) => e.incidentId === top.id)?.incidentId ?? (inbox[0]?.incidentId as string);
  if (alerted !== top.id)
    await h.api.incidents.label(
      h.workspace,
      alerted,
      'true_alarm',
      `Confirmed by ${noteEmail} (${notePhone}) from ${noteIp}; see ticket 4711.`,
    );
  const written: string[] = [];
  for (const format of ['eml', 'json'] as const) {
    const out = path.join(outDir, `digest.${format}`);
    const result = await h.api.alerts.exportDigest(h.workspace, { format, out, to: 'board@shop.example' });
    assert.equal(result.alerts, inbox.length);
    assert.ok(result.redactedTexts > 0, 'the note and the rule name were redacted');
    assert.deepEqual(result.policy.maskedDimensions, ['region']);
    written.push(out);
  }
  await h.api.workspace.close(h.workspace);
  const { keys, maskedValues } = keysOf(h.workspace);
  for (const file of written) {
    const raw = fs.readFileSync(file, 'utf8');
    // The draft's parts are quoted-printable: look at the raw bytes and at every part decoded.
    const text = file.endsWith('.eml')
      ? [raw, decodeQuotedPrintable(raw), ...parseEml(raw).parts.map((p) => p.body)].join('\n')
      : raw;
    for (const id of identifiers) assert.ok(!text.includes(id), `"${id}" found in ${path.basename(file)}`);
    for (const phone of phones)
      assert.ok(!text.includes(phone.replace(/\s/g, '')), `phone digits in ${path.basename(file)}`);
    assert.deepEqual(pseudonymsIn(text, keys), [], `workspace pseudonyms in ${path.basename(file)}`);
    for (const value of maskedValues) assert.ok(!text.includes(value), `masked region value in ${file}`);
    // Nothing the PII rules would flag in what the digest says (the headers' From, To and Message-ID are
    // address-shaped by nature: the analyst's placeholders and a random id).
    const content = file.endsWith('.eml')
      ? parseEml(raw)
          .parts.map((p) => p.body)
          .join('\n')
      : raw;
    assert.equal(redactText(content), content, `PII pattern in ${path.basename(file)}`);
    assert.match(text, /Confirmed by \[email\] \(\[phone\]\) from \[ip\]; see ticket 4711\./);
    assert.match(text, /Everything, tell \[email\]/);
  }
  const audit = await h.api.reports.audit(h.workspace);
  assert.deepEqual(
    audit.filter((e) => e.target.startsWith('alert digest')).map((e) => [e.action, path.basename(e.file)]),
    [
      ['export', 'digest.eml'],
      ['export', 'digest.json'],
    ],
  );
});

test(
  'the HTML report renders in Chromium and the PDF through pdftoppm (pages kept under test-output/report)',
  {
    skip: chromium ? false : 'no Chromium',
  },
  async () => {
    const dir = path.resolve('test-output/report');
    fs.mkdirSync(dir, { recursive: true });
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: chromium as string, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
      // Offline: any request other than the report file itself would fail the test.
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${path.join(outDir, 'operational.html')}`);
      await page.screenshot({ path: path.join(dir, 'operational-html.png') });
      assert.deepEqual(
        requests.filter((u) => !u.endsWith('operational.html')),
        [],
      );
      assert.ok((await page.locator('svg').count()) > 0, 'the charts render');
    } finally {
      await browser.close();
    }
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path.join(outDir, 'operational.pdf'),
      path.join(dir, 'operational-pdf-1'),
    ]);
    for (const png of ['operational-html.png', 'operational-pdf-1.png'])
      assert.ok(fs.statSync(path.join(dir, png)).size > 5000, `${png} has content`);
  },
);

test('the HTML report is self-contained: no external reference of any kind', async () => {
  for (const template of TEMPLATES) {
    const out = path.join(outDir, `${template}-ref.html`);
    await h.api.reports.export(h.workspace, { template, format: 'html', out });
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /<svg/, 'charts are inline SVG');
    assert.doesNotMatch(html, /https?:|ftp:|file:|\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    assert.doesNotMatch(html, /<script|<link|<iframe|<object|<embed|@import|@font-face/i);
    // Only fragment references inside the document (an SVG clip path: url(#id)).
    for (const m of html.matchAll(/url\(([^)]*)\)/gi)) assert.match(m[1] as string, /^#[\w-]+$/);
    for (const m of html.matchAll(/\s(?:src|href|xlink:href|action|poster)\s*=\s*"([^"]*)"/gi))
      assert.ok(/^(data:|#)/.test(m[1] as string), `external reference ${m[0]}`);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  }
});

test('the audit log records every export with user, policy and file hash', async () => {
  const entries = await h.api.reports.audit(h.workspace);
  const exports = entries.filter((e) => e.action === 'export');
  assert.ok(exports.length >= 8);
  for (const e of exports) {
    assert.ok(e.osUser.length > 0);
    assert.match(e.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(e.policy.minUsers, 10);
    assert.equal(e.policy.pseudonyms, 'dropped');
    assert.deepEqual(e.policy.maskedDimensions, ['region']);
    if (fs.existsSync(e.file) && !e.file.endsWith('.pdf') && !e.file.includes('-ref')) {
      const hash = execFileSync('sha256sum', [e.file], { encoding: 'utf8' }).split(' ')[0];
      assert.equal(hash, e.sha256);
    }
  }
});

/** Parses the report's cohort label back: "device=mobile, channel=email" → {device: mobile, channel: email}. */
function parseLabel(label: string): Record<string, string> {
  if (label === 'all traffic') return {};
  return Object.fromEntries(label.split(', ').map((p) => p.split('=') as [string, string]));
}

interface JsonReport {
  report: { policy: { minUsers: number }; suppressedCohorts: number };
  tables: Record<string, Record<string, string | number | null>[]>;
}

test('cohorts with fewer than k distinct users are merged into "other" or not shown', async () => {
  const exportJson = async (name: string): Promise<JsonReport> => {
    const out = path.join(outDir, name);
    await h.api.reports.export(h.workspace, { template: 'operational', format: 'json', out });
    return JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport;
  };
  await h.api.settings.update(h.workspace, { reportMinUsers: 1_000_000 });
  const none = await exportJson('k-all.json');
  assert.equal(none.report.policy.minUsers, 1_000_000);
  const eventIncidents = (none.tables.incidents ?? []).filter((i) => !String(i.metric).endsWith('_rate'));
  assert.ok(eventIncidents.length > 0);
  for (const i of eventIncidents) {
    assert.match(String(i.cohort), /^\[cohort of fewer than 1000000 users\]$/);
    assert.ok(
      !(none.tables.series ?? []).some((p) => p.incident === i.incident),
      'no series of a small cohort',
    );
    assert.ok(!(none.tables.breakdown ?? []).some((r) => r.incident === i.incident));
    for (const a of (none.tables.attribution ?? []).filter((a) => a.incident === i.incident))
      assert.match(String(a.cohort), /^other \(\d+ cohorts? below 1000000 users\)$/);
  }

  const k = 40;
  await h.api.settings.update(h.workspace, { reportMinUsers: k });
  const some = await exportJson('k-40.json');
  assert.ok(some.report.suppressedCohorts > 0, 'the demo has breakdown values below 40 users');
  const db = new Database(h.workspace, { readonly: true });
  try {
    const usersBy = (dim: string, within: Record<string, string>, from: number, to: number) => {
      const where = Object.keys(within)
        .map((d) => ` AND e.${d} = (SELECT id FROM dim_values WHERE dim = '${d}' AND value = ?)`)
        .join('');
      return new Map(
        db
          .prepare(
            `SELECT v.value, COUNT(DISTINCT COALESCE(e.user_key, e.session_key)) FROM events e
             JOIN dim_values v ON v.id = e.${dim} WHERE e.ts >= ? AND e.ts < ?${where} GROUP BY v.value`,
          )
          .raw()
          .all(from, to, ...Object.values(within)) as [string, number][],
      );
    };
    let checked = 0;
    for (const i of some.tables.incidents ?? []) {
      const rows = (some.tables.breakdown ?? []).filter((r) => r.incident === i.incident);
      if (rows.length === 0) continue;
      const from = Date.parse(String(i.start));
      const to = Math.max(Date.parse(String(i.end)), from + 3_600_000);
      const users = usersBy(String(rows[0]?.dimension), parseLabel(String(i.cohort)), from, to);
      const shown = new Set(rows.map((r) => String(r.value)));
      for (const [value, n] of users) {
        if (n >= k) assert.ok(shown.has(value), `${value} (${n} users) is shown`);
        else assert.ok(!shown.has(value), `${value} (${n} users) is merged into other`);
        checked++;
      }
    }
    assert.ok(checked > 0);
  } finally {
    db.close();
    await h.api.settings.update(h.workspace, { reportMinUsers: 10 });
  }
});

test('an export whose bytes would carry a workspace pseudonym is refused, written nowhere, and audited', async () => {
  const db = new Database(h.workspace, { readonly: true });
  const keys = db
    .prepare('SELECT DISTINCT user_key FROM events WHERE user_key IS NOT NULL LIMIT 50')
    .pluck()
    .all();
  db.close();
  // A key the PII rules do not redact (not card-shaped): only the identifier scan can catch it.
  const key = String(keys.find((k) => redactText(`ref ${String(k)}`) === `ref ${String(k)}`));
  await h.api.incidents.label(h.workspace, top.id, 'true_alarm', `Same customer as ref ${key}.`);
  const before = (await h.api.reports.audit(h.workspace)).length;
  for (const format of ['html', 'csv', 'json'] as const) {
    const out = path.join(outDir, `refused.${format}`);
    await assert.rejects(
      h.api.reports.export(h.workspace, { template: 'operational', format, out }),
      (error: Error) => {
        assert.match(error.message, /Export refused: .*1 workspace pseudonym.*Nothing was written/);
        assert.ok(!error.message.includes(key), 'the message names the kind, not the value');
        return true;
      },
    );
    assert.ok(!fs.existsSync(out));
    assert.deepEqual(
      fs.readdirSync(outDir).filter((f) => f.startsWith('refused')),
      [],
      'no file and no temporary file',
    );
  }
  const audit = await h.api.reports.audit(h.workspace);
  const refused = audit.slice(before);
  assert.equal(refused.length, 3);
  for (const entry of refused) {
    assert.equal(entry.action, 'export_refused');
    assert.equal(entry.sha256, null);
    assert.match(entry.reason ?? '', /pseudonym/);
    assert.ok(!JSON.stringify(entry).includes(key));
  }
  // The digest shows the note too: refused the same way, written nowhere, audited.
  if (alerted !== top.id)
    await h.api.incidents.label(h.workspace, alerted, 'true_alarm', `Same customer as ref ${key}.`);
  const digest = path.join(outDir, 'refused.eml');
  await assert.rejects(
    h.api.alerts.exportDigest(h.workspace, {
      format: 'eml',
      out: digest,
      period: { from: 0, to: Date.now() + 1000 },
    }),
    /Export refused: the digest would contain 1 workspace pseudonym.*Nothing was written/,
  );
  assert.ok(!fs.existsSync(digest));
  assert.equal((await h.api.reports.audit(h.workspace)).at(-1)?.action, 'export_refused');
  // The executive template shows no note, so the same workspace still exports it.
  const out = path.join(outDir, 'after-refusal.html');
  await h.api.reports.export(h.workspace, { template: 'executive', format: 'html', out });
  assert.ok(fs.existsSync(out));
});
