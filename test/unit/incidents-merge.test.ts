import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../shared/incidents';
import { intersects } from '../../workers/incidents/group';
import { mergeLocalised } from '../../workers/incidents/merge';

const incident = (id: string, start: string, end: string, cohort: Record<string, string>): Incident => ({
  id,
  metric: 'sessions',
  direction: 'up',
  start: `2026-10-14T${start}:00.000Z`,
  end: `2026-10-14T${end}:00.000Z`,
  detectedAt: `2026-10-14T${start}:00.000Z`,
  severity: 'medium',
  score: 0.99,
  cohort,
  expected: false,
  impact: { lostConversions: 0, revenueAtRisk: 0 },
  attribution: [],
});

describe('incident grouping helpers', () => {
  it('cohorts intersect unless they name different values of one dimension', () => {
    assert.equal(intersects({ country: 'US' }, { device: 'mobile' }), true);
    assert.equal(intersects({}, { device: 'mobile' }), true);
    assert.equal(intersects({ country: 'US' }, { country: 'DE' }), false);
    assert.equal(intersects({ country: 'US', os: 'iOS' }, { os: 'iOS' }), true);
  });

  it('merges overlapping localised incidents of nested cohorts, keeping the earliest start and the larger cohort', () => {
    const bots = incident('a', '02:40', '08:40', { channel: 'tiktok', device: 'desktop' });
    const later = incident('b', '03:20', '09:20', {
      channel: 'tiktok',
      device: 'desktop',
      browser: 'Chrome',
    });
    const elsewhere = incident('c', '04:00', '05:00', { country: 'DE' });
    const afterwards = incident('d', '10:00', '11:00', { channel: 'tiktok' });
    const { incidents, sizes } = mergeLocalised([later, bots, elsewhere, afterwards], {
      a: 0.9,
      b: 0.3,
      c: 0.5,
      d: 0.4,
    });
    assert.deepEqual(
      incidents.map((i) => [i.id, i.start.slice(11, 16), i.end.slice(11, 16), JSON.stringify(i.cohort)]),
      [
        ['a', '02:40', '09:20', JSON.stringify({ channel: 'tiktok', device: 'desktop' })],
        ['c', '04:00', '05:00', JSON.stringify({ country: 'DE' })],
        ['d', '10:00', '11:00', JSON.stringify({ channel: 'tiktok' })],
      ],
    );
    assert.equal(sizes.a, 0.9);
  });
});
