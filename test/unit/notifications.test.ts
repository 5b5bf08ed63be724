import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from '../../shared/incidents';
import { criticalIncidentNotice, type NoticeContext } from '../../main/notifications';

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

const context: NoticeContext = {
  enabled: true,
  windowFocused: false,
  workspaceName: 'q3.fscope',
  announced: new Set(),
};

test('a new critical incident is announced with metric and cohort', () => {
  const notice = criticalIncidentNotice([incident('a')], context);
  assert.deepEqual(notice, {
    title: 'A critical incident in q3.fscope',
    body: 'Add-to-cart rate fell for os iOS.',
    incidentIds: ['a'],
  });
});

test('several are counted; lower severities and expected changes are not announced', () => {
  const notice = criticalIncidentNotice(
    [
      incident('low', { severity: 'high' }),
      incident('promo', { expected: true }),
      incident('b', { metric: 'sessions', direction: 'up', cohort: {} }),
      incident('c'),
    ],
    context,
  );
  assert.equal(notice?.title, '2 critical incidents in q3.fscope');
  assert.equal(notice?.body, 'Sessions rose for all traffic (and 1 more).');
  assert.deepEqual(notice?.incidentIds, ['b', 'c']);
});

test('nothing when turned off, when the window is in front, or when already announced', () => {
  assert.equal(criticalIncidentNotice([incident('a')], { ...context, enabled: false }), null);
  assert.equal(criticalIncidentNotice([incident('a')], { ...context, windowFocused: true }), null);
  assert.equal(criticalIncidentNotice([incident('a')], { ...context, announced: new Set(['a']) }), null);
  assert.equal(criticalIncidentNotice([], context), null);
});

test('an unknown metric is named by its id', () => {
  const notice = criticalIncidentNotice([incident('x', { metric: 'custom_latency_p95' })], context);
  assert.match(notice?.body ?? '', /^custom_latency_p95 fell/);
});
