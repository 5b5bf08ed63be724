import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRule } from '../../shared/alerts';
import {
  defaultDigestPath,
  draftOf,
  EMPTY_DRAFT,
  ruleOf,
  ruleSummary,
} from '../../renderer/src/views/alerts/ruleForm';

const rule: AlertRule = {
  id: 4,
  name: 'iOS checkout',
  enabled: true,
  minSeverity: 'medium',
  metrics: ['checkout_conversion'],
  cohorts: [{ os: 'iOS' }, { device: 'mobile', browser: 'Safari' }],
  quietHours: { from: '22:00', to: '07:00' },
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};

test('the rules editor round-trips a rule through its fields', () => {
  const draft = draftOf(rule);
  assert.equal(draft.cohorts, 'os=iOS\ndevice=mobile&browser=Safari');
  const { createdAt: _c, updatedAt: _u, ...input } = rule;
  assert.deepEqual(ruleOf(draft), input);
  assert.deepEqual(ruleOf({ ...EMPTY_DRAFT, name: 'All' }), {
    name: 'All',
    enabled: true,
    minSeverity: 'high',
    metrics: 'all',
    cohorts: 'any',
    quietHours: null,
  });
  assert.throws(() => ruleOf({ ...draft, cohorts: 'iOS' }), /dimension=value/);
});

test('a rule in one line, and the digest file beside the workspace', () => {
  assert.equal(
    ruleSummary(rule, (m) => m.replace('_', ' ')),
    'medium or worse · checkout conversion · os=iOS or device=mobile & browser=Safari · quiet 22:00–07:00',
  );
  assert.match(
    ruleSummary(
      { ...rule, minSeverity: 'critical', metrics: 'all', cohorts: 'any', quietHours: null },
      String,
    ),
    /^critical only · all metrics · any cohort$/,
  );
  assert.equal(defaultDigestPath('/data/q3.fscope', 'eml'), '/data/q3-alert-digest.eml');
  assert.equal(defaultDigestPath('C:\\work\\q3.fscope', 'json'), 'C:\\work\\q3-alert-digest.json');
});
