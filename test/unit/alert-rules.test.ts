import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRuleInput } from '../../shared/alerts';
import {
  atLeast,
  cohortWithin,
  formatCohortFilter,
  isQuietAt,
  localMinutes,
  parseCohortFilter,
  ruleMatches,
  validateRule,
} from '../../shared/alert-rules';
import type { Incident } from '../../shared/incidents';

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'i',
    metric: 'checkout_conversion',
    direction: 'down',
    start: '2026-10-05T10:00:00Z',
    end: '2026-10-05T14:00:00Z',
    detectedAt: '2026-10-05T10:30:00Z',
    severity: 'high',
    score: 0.99,
    cohort: { os: 'iOS' },
    expected: false,
    impact: { lostConversions: 12, revenueAtRisk: 540 },
    attribution: [],
    ...overrides,
  };
}

const any = { minSeverity: 'low', metrics: 'all', cohorts: 'any' } as const;

test('severity threshold: the rule minimum or worse', () => {
  assert.ok(atLeast('critical', 'high'));
  assert.ok(atLeast('high', 'high'));
  assert.ok(!atLeast('medium', 'high'));
  assert.ok(ruleMatches({ ...any, minSeverity: 'high' }, incident({ severity: 'critical' })));
  assert.ok(ruleMatches({ ...any, minSeverity: 'high' }, incident({ severity: 'high' })));
  assert.ok(!ruleMatches({ ...any, minSeverity: 'high' }, incident({ severity: 'medium' })));
  assert.ok(ruleMatches(any, incident({ severity: 'low' })));
});

test('metric list: all, or only the named metrics', () => {
  assert.ok(ruleMatches(any, incident({ metric: 'sessions' })));
  const checkout = { ...any, metrics: ['checkout_conversion', 'payment_failures'] };
  assert.ok(ruleMatches(checkout, incident()));
  assert.ok(ruleMatches(checkout, incident({ metric: 'payment_failures' })));
  assert.ok(!ruleMatches(checkout, incident({ metric: 'sessions' })));
});

test('cohort filter: the same cohort and narrower (child) cohorts match, wider (parent) ones do not', () => {
  const ios = { ...any, cohorts: [{ os: 'iOS' }] };
  assert.ok(cohortWithin({ os: 'iOS', browser: 'Safari' }, { os: 'iOS' }));
  assert.ok(!cohortWithin({}, { os: 'iOS' }));
  assert.ok(ruleMatches(ios, incident({ cohort: { os: 'iOS' } })), 'same cohort');
  assert.ok(ruleMatches(ios, incident({ cohort: { os: 'iOS', browser: 'Safari' } })), 'child cohort');
  assert.ok(!ruleMatches(ios, incident({ cohort: {} })), 'all traffic is the parent');
  assert.ok(!ruleMatches(ios, incident({ cohort: { os: 'Android' } })), 'another value');
  const iosSafari = { ...any, cohorts: [{ os: 'iOS', browser: 'Safari' }] };
  assert.ok(!ruleMatches(iosSafari, incident({ cohort: { os: 'iOS' } })), 'parent of a pair');
  assert.ok(ruleMatches(iosSafari, incident({ cohort: { browser: 'Safari', os: 'iOS', device: 'mobile' } })));
});

test('cohort filter: a parent incident matches when its attribution localises inside the filter', () => {
  const safari = { ...any, cohorts: [{ browser: 'Safari' }] };
  const wide = incident({
    cohort: { os: 'iOS' },
    attribution: [{ cohort: { os: 'iOS', browser: 'Safari' }, share: 0.9, score: 0.8 }],
  });
  assert.ok(ruleMatches(safari, wide));
  assert.ok(!ruleMatches({ ...any, cohorts: [{ browser: 'Chrome' }] }, wide));
});

test('several cohort filters: any of them may match', () => {
  const rule = { ...any, cohorts: [{ country: 'DE' }, { os: 'iOS' }] as Record<string, string>[] };
  assert.ok(ruleMatches(rule, incident({ cohort: { country: 'DE' } })));
  assert.ok(ruleMatches(rule, incident({ cohort: { os: 'iOS' } })));
  assert.ok(!ruleMatches(rule, incident({ cohort: { country: 'FR' } })));
});

test('quiet hours within a day, across midnight, and in the workspace time zone', () => {
  const at = (iso: string) => Date.parse(iso);
  const day = { from: '09:00', to: '17:00' };
  assert.ok(isQuietAt(day, at('2026-01-15T09:00:00Z'), 'UTC'), 'start is inclusive');
  assert.ok(!isQuietAt(day, at('2026-01-15T17:00:00Z'), 'UTC'), 'end is exclusive');
  assert.ok(!isQuietAt(day, at('2026-01-15T08:59:00Z'), 'UTC'));
  const night = { from: '22:00', to: '07:00' };
  assert.ok(isQuietAt(night, at('2026-01-15T23:30:00Z'), 'UTC'), 'before midnight');
  assert.ok(isQuietAt(night, at('2026-01-15T00:00:00Z'), 'UTC'), 'midnight');
  assert.ok(isQuietAt(night, at('2026-01-15T06:59:00Z'), 'UTC'), 'after midnight');
  assert.ok(!isQuietAt(night, at('2026-01-15T07:00:00Z'), 'UTC'));
  assert.ok(!isQuietAt(night, at('2026-01-15T12:00:00Z'), 'UTC'));
  // 21:30 UTC is 22:30 in Berlin in winter (UTC+1), 23:30 in summer (UTC+2), 16:30 in New York.
  assert.ok(isQuietAt(night, at('2026-01-15T21:30:00Z'), 'Europe/Berlin'));
  assert.ok(isQuietAt(night, at('2026-07-15T21:30:00Z'), 'Europe/Berlin'));
  assert.ok(!isQuietAt(night, at('2026-01-15T21:30:00Z'), 'America/New_York'));
  assert.equal(localMinutes(at('2026-07-15T21:30:00Z'), 'Asia/Kolkata'), 3 * 60); // 03:00 IST (UTC+5:30)
  assert.ok(!isQuietAt(null, at('2026-01-15T23:30:00Z'), 'UTC'));
});

const valid: AlertRuleInput = {
  name: '  Checkout on iOS ',
  enabled: true,
  minSeverity: 'high',
  metrics: ['checkout_conversion', 'checkout_conversion'],
  cohorts: [{ os: ' iOS ' }],
  quietHours: { from: '22:00', to: '07:00' },
};

test('validation tidies a good rule and refuses a bad one with what to write instead', () => {
  assert.deepEqual(validateRule(valid), {
    name: 'Checkout on iOS',
    enabled: true,
    minSeverity: 'high',
    metrics: ['checkout_conversion'],
    cohorts: [{ os: 'iOS' }],
    quietHours: { from: '22:00', to: '07:00' },
  });
  const refuses = (patch: Partial<Record<keyof AlertRuleInput, unknown>>, message: RegExp) =>
    assert.throws(
      () => validateRule({ ...valid, ...patch } as AlertRuleInput),
      (e: Error & { code?: string }) => e.code === 'BAD_ARGUMENT' && message.test(e.message),
    );
  refuses({ name: ' ' }, /Give the rule a name/);
  refuses({ minSeverity: 'urgent' }, /low, medium, high or critical, not "urgent"/);
  refuses({ metrics: [] }, /"all" or a non-empty list/);
  refuses(
    { cohorts: [{ planet: 'Mars' }] },
    /"planet" in cohort filter 1 is not a dimension; use one of device/,
  );
  refuses({ cohorts: [{ os: '' }] }, /Give a value for os/);
  refuses({ cohorts: [{}] }, /empty; use cohorts "any"/);
  refuses({ quietHours: { from: '25:00', to: '07:00' } }, /HH:MM \(00:00–23:59\), not "25:00"/);
  refuses({ quietHours: { from: '07:00', to: '07:00' } }, /different start and end/);
  refuses({ enabled: 'yes' }, /enabled is true or false/);
  refuses({ id: -3 }, /positive whole number/);
});

test('cohort filters are written as dimension=value&dimension=value', () => {
  assert.deepEqual(parseCohortFilter('os=iOS&browser=Safari'), { os: 'iOS', browser: 'Safari' });
  assert.equal(formatCohortFilter({ os: 'iOS', browser: 'Safari' }), 'os=iOS&browser=Safari');
  assert.throws(() => parseCohortFilter('iOS'), /dimension=value/);
});
