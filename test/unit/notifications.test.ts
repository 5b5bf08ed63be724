import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertEntry, AlertRule } from '../../shared/alerts';
import type { Incident } from '../../shared/incidents';
import { alertNotice, type NoticeContext } from '../../main/notifications';

function incident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    metric: 'add_to_cart_rate',
    direction: 'down',
    start: '2026-10-05T10:00:00Z',
    end: '2026-10-05T14:00:00Z',
    detectedAt: '2026-10-05T10:30:00Z',
    severity: 'critical',
    score: 0.99,
    cohort: { os: 'iOS' },
    expected: false,
    impact: { lostConversions: 120, revenueAtRisk: 5400 },
    attribution: [],
    ...overrides,
  };
}

function rule(id: number, overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    name: `rule ${id}`,
    enabled: true,
    minSeverity: 'low',
    metrics: 'all',
    cohorts: 'any',
    quietHours: null,
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    ...overrides,
  };
}

function entry(id: number, ruleId: number, of: Incident): AlertEntry {
  return {
    id,
    incidentId: of.id,
    ruleId,
    ruleName: `rule ${ruleId}`,
    createdAt: '2026-10-05T12:00:00.000Z',
    read: false,
    incident: of,
  };
}

// 12:00 UTC is 14:00 in Berlin (summer time) and 08:00 in New York.
const NOON_UTC = Date.parse('2026-07-01T12:00:00Z');
const context: NoticeContext = {
  enabled: true,
  windowFocused: false,
  workspaceName: 'q3.fscope',
  timeZone: 'UTC',
  now: NOON_UTC,
};

test('a new alert is announced with its severity, metric and cohort', () => {
  const notice = alertNotice([entry(1, 1, incident('a'))], [rule(1)], context);
  assert.deepEqual(notice, {
    title: 'A new alert in q3.fscope',
    body: 'Critical: Add-to-cart rate fell for os iOS.',
    incidentIds: ['a'],
  });
});

test('several incidents are counted once each, the severest named first', () => {
  const a = incident('a', { severity: 'medium' });
  const b = incident('b', { metric: 'sessions', direction: 'up', cohort: {}, severity: 'high' });
  const notice = alertNotice([entry(1, 1, a), entry(2, 2, a), entry(3, 1, b)], [rule(1), rule(2)], context);
  assert.equal(notice?.title, '2 new alerts in q3.fscope');
  assert.equal(notice?.body, 'High: Sessions rose for all traffic (and 1 more).');
  assert.deepEqual(notice?.incidentIds, ['a', 'b']);
});

test('nothing when notifications are off, the window is in front, or there is no entry', () => {
  const entries = [entry(1, 1, incident('a'))];
  assert.equal(alertNotice(entries, [rule(1)], { ...context, enabled: false }), null);
  assert.equal(alertNotice(entries, [rule(1)], { ...context, windowFocused: true }), null);
  assert.equal(alertNotice([], [rule(1)], context), null);
});

test('the rules decide: a deleted or disabled rule, or a severity below it, announces nothing', () => {
  const entries = [entry(1, 1, incident('a', { severity: 'high' }))];
  assert.equal(alertNotice(entries, [], context), null);
  assert.equal(alertNotice(entries, [rule(1, { enabled: false })], context), null);
  assert.equal(alertNotice(entries, [rule(1, { minSeverity: 'critical' })], context), null);
  assert.notEqual(alertNotice(entries, [rule(1, { minSeverity: 'high' })], context), null);
});

test('quiet hours hold the notification back, read in the workspace time zone', () => {
  const entries = [entry(1, 1, incident('a'))];
  const quiet = rule(1, { quietHours: { from: '13:00', to: '15:00' } });
  // 12:00 UTC: quiet in Berlin (14:00), not in UTC or New York (08:00).
  assert.equal(alertNotice(entries, [quiet], { ...context, timeZone: 'Europe/Berlin' }), null);
  assert.notEqual(alertNotice(entries, [quiet], context), null);
  assert.notEqual(alertNotice(entries, [quiet], { ...context, timeZone: 'America/New_York' }), null);
  // Across midnight, 22:00–07:00: 08:00 in New York is outside it, 06:00 inside.
  const night = rule(1, { quietHours: { from: '22:00', to: '07:00' } });
  assert.notEqual(alertNotice(entries, [night], { ...context, timeZone: 'America/New_York' }), null);
  const earlyNewYork = Date.parse('2026-07-01T10:00:00Z'); // 06:00 EDT
  assert.equal(
    alertNotice(entries, [night], { ...context, timeZone: 'America/New_York', now: earlyNewYork }),
    null,
  );
  // One entry of a quiet rule and one of a loud rule for another incident: only the loud one is announced.
  const b = incident('b');
  const notice = alertNotice([entry(1, 1, incident('a')), entry(2, 2, b)], [quiet, rule(2)], {
    ...context,
    timeZone: 'Europe/Berlin',
  });
  assert.deepEqual(notice?.incidentIds, ['b']);
});

test('an unknown metric is named by its id', () => {
  const notice = alertNotice(
    [entry(1, 1, incident('x', { metric: 'custom_latency_p95' }))],
    [rule(1)],
    context,
  );
  assert.match(notice?.body ?? '', /^Critical: custom_latency_p95 fell/);
});
