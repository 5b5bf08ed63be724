import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listAudit, writeAudit } from '../../workers/report/audit';
import { findChromium, htmlToPdf } from '../../workers/report/pdf';
import { incidentKind, playbookFor } from '../../workers/report/playbooks';
import { describeFindings, piiFindings, scanText, type KnownIdentifiers } from '../../workers/report/scan';
import { toCsv } from '../../workers/report/tables';
import { openWorkspace } from '../../workers/store/workspace';

const known = (keys: string[], values: string[] = []): KnownIdentifiers => ({
  values: new Set(values),
  pseudonymsAmong: (candidates) => keys.filter((k) => candidates.has(k)).length,
});

test('the pre-write scan names the kinds of personal data found, never the values', () => {
  const text = 'mail bob@example.com, from 192.0.2.44, call +44 20 7946 0123, card 4111 1111 1111 1111';
  const findings = piiFindings(text);
  assert.deepEqual(findings.map((f) => f.kind).sort(), ['card', 'email', 'ip', 'phone']);
  const message = describeFindings(findings);
  assert.match(message, /1 e-mail address/);
  assert.ok(!message.includes('bob@example.com') && !message.includes('192.0.2.44'));
});

test('report content without personal data passes: times, amounts, ids, chart geometry, [redacted] markers', () => {
  const text =
    '2026-10-05T10:00:00.000Z,checkout_conversion,0.123457,1,234.5,inc-09e22ff29e, note: by [email] from [ip]\n' +
    '<path d="M64 204.5L704 204.5L67.2 98.4 120 5551234 030 1234567" transform="translate(56 174.6667)"></path>';
  assert.deepEqual(scanText(text, known([])), []);
});

test('workspace pseudonyms and identifier values seen at import are found as whole values', () => {
  const key = '4503599627370495';
  assert.deepEqual(scanText(`ref ${key}.`, known([key])), [{ kind: 'pseudonym', count: 1 }]);
  assert.deepEqual(scanText(`ref 1${key}`, known([key])), [], 'a longer number is another value');
  const masked = 'Qk3xA_9-zzP1mN0bVv2LqQ';
  assert.deepEqual(scanText(`region=${masked}`, known([], [masked])), [{ kind: 'identifier', count: 1 }]);
});

test('incident kinds and their recommended action', () => {
  const kind = (metric: string, direction: 'up' | 'down', deploy = false, cohort = {}) =>
    incidentKind({ metric, direction, cohort, expected: false }, deploy);
  assert.equal(kind('checkout_conversion', 'down'), 'payment_failure');
  assert.match(playbookFor('payment_failure').action, /payment provider.*last checkout deploy/);
  assert.equal(kind('checkout_conversion', 'down', true), 'checkout_regression');
  assert.equal(kind('sessions', 'down'), 'traffic_loss');
  assert.equal(kind('sessions', 'up', false, { campaign: 'x' }), 'campaign_effect');
  assert.equal(kind('add_to_cart_rate', 'down', false, { category: 'shoes' }), 'out_of_stock');
  assert.equal(kind('bounce_rate', 'up'), 'email_delivery');
  assert.ok(playbookFor('bot_traffic').steps.length > 0);
});

test('CSV cells are quoted, and formulas are neutralised', () => {
  const csv = toCsv([{ cohort: '=HYPERLINK("x")', note: 'a, "b"', n: 1.5, none: null }]);
  assert.equal(csv, 'cohort,note,n,none\r\n"\'=HYPERLINK(""x"")","a, ""b""",1.5,\r\n');
});

test('PDF without a Chromium: a clear error that says how to install one', async () => {
  const env = { FUNNELSCOPE_CHROMIUM: '/nonexistent/chromium' };
  assert.equal(findChromium(env), null);
  await assert.rejects(htmlToPdf('<html></html>', env), /does not exist.*install one.*FUNNELSCOPE_CHROMIUM/s);
});

test('audit rows round-trip through migration 4', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-audit-'));
  const db = openWorkspace(path.join(dir, 'w.fscope'), { create: true });
  try {
    const policy = {
      minUsers: 10,
      pseudonyms: 'dropped' as const,
      freeText: 'redacted' as const,
      maskedDimensions: [],
      scan: ['email'],
    };
    writeAudit(
      db,
      { action: 'export', target: 'executive html: all', policy, file: '/x.html', sha256: 'ab' },
      0,
    );
    writeAudit(db, {
      action: 'export_refused',
      target: 't',
      policy,
      file: '/y',
      sha256: null,
      reason: '1 e-mail address',
    });
    const [first, second] = listAudit(db);
    assert.equal(first?.at, '1970-01-01T00:00:00.000Z');
    assert.equal(first?.action, 'export');
    assert.deepEqual(first?.policy, policy);
    assert.ok((first?.osUser ?? '').length > 0);
    assert.equal(second?.reason, '1 e-mail address');
    assert.throws(() => db.prepare("UPDATE audit_log SET action = 'deleted'").run(), /CHECK/);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
