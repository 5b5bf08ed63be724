import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cohortRelation,
  rankAnnotations,
  timeCloseness,
  type AnnotationInput,
} from '../../workers/attribute/causes/annotations';
import { confinementEvidence, metricEvidence } from '../../workers/attribute/causes/metrics';
import { bucketScores, estimateOnset } from '../../workers/attribute/causes/onset';
import { countTest, meanTest, moveScore, proportionTest } from '../../workers/attribute/causes/stats';
import { mulberry32 } from './support/random';
import type { CohortWindows, Sums } from '../../workers/attribute/causes/windows';

const MINUTE = 60_000;
const ONSET = Date.UTC(2026, 9, 12, 16, 50);
const FIVE_MINUTES = 5 * MINUTE;

describe('time closeness of an annotation to the onset', () => {
  it('is 1 within the slack (a bucket, at least 30 minutes) and decays beyond it', () => {
    assert.equal(timeCloseness(7, 5), 1);
    assert.equal(timeCloseness(30, 5), 1);
    // 75 minutes before with 5-minute buckets: 45 beyond the slack, e^(−45/45).
    assert.ok(Math.abs(timeCloseness(75, 5) - Math.exp(-1)) < 1e-12);
    assert.ok(timeCloseness(45, 5) > timeCloseness(75, 5));
    // Three and a half hours before: about 2 % of a deploy minutes before.
    assert.ok(timeCloseness(210, 5) < 0.03);
  });

  it('counts an annotation within the uncertainty of the onset as at the onset, and fades one after it', () => {
    assert.equal(timeCloseness(-30, 60), 1);
    assert.equal(timeCloseness(-10, 5), 1);
    assert.ok(timeCloseness(-45, 5) < 0.06);
  });
});

describe('cohort relation of an annotation to the incident', () => {
  const incident = { os: 'iOS', browser: 'Safari' };
  it('names each case', () => {
    assert.equal(cohortRelation({ browser: 'Safari', os: 'iOS' }, incident), 'same');
    assert.equal(cohortRelation({}, incident), 'all traffic');
    assert.equal(cohortRelation({ os: 'iOS' }, incident), 'broader');
    assert.equal(cohortRelation({ ...incident, country: 'DE' }, incident), 'narrower');
    assert.equal(cohortRelation({ os: 'iOS', country: 'DE' }, incident), 'overlapping');
    assert.equal(cohortRelation({ os: 'Android' }, incident), 'disjoint');
  });
});

describe('ranking annotations', () => {
  const deploy = (minutesBefore: number, label: string, cohort = ''): AnnotationInput => ({
    start: ONSET - minutesBefore * MINUTE,
    kind: 'deploy',
    label,
    cohort,
  });
  const incident = { cohort: { os: 'iOS', browser: 'Safari' } };

  it('ranks the release minutes before above an unrelated deploy hours earlier', () => {
    const ranked = rankAnnotations(
      [deploy(205, 'web-513 search ranking tweak'), deploy(7, 'web-512 checkout release')],
      incident,
      ONSET,
      FIVE_MINUTES,
    );
    assert.deepEqual(
      ranked.map((l) => l.details.label),
      ['web-512 checkout release'],
    );
    assert.ok(ranked[0]!.score > 0.8, `score ${ranked[0]!.score}`);
    assert.match(
      ranked[0]!.summary,
      /deploy "web-512 checkout release" \(all traffic\) at 16:43 UTC, 7 min before/,
    );
  });

  it('an earlier deploy of the same cohort still loses to one at the onset for all traffic', () => {
    const ranked = rankAnnotations(
      [deploy(150, 'ios-7 payment sheet', 'os=iOS&browser=Safari'), deploy(10, 'web-600')],
      incident,
      ONSET,
      FIVE_MINUTES,
    );
    assert.equal(ranked[0]!.details.label, 'web-600');
  });

  it('prefers the matching cohort at equal times, and leaves out annotations outside the window', () => {
    const ranked = rankAnnotations(
      [
        deploy(10, 'android', 'os=Android'),
        deploy(10, 'ios', 'os=iOS'),
        deploy(7 * 60, 'too early'),
        deploy(-60, 'too late'),
      ],
      incident,
      ONSET,
      FIVE_MINUTES,
    );
    assert.deepEqual(
      ranked.map((l) => l.details.label),
      ['ios', 'android'],
    );
    assert.equal(ranked[0]!.details.relation, 'broader');
    // The unrelated deploy hours earlier scores under 0.05 (closeness × a disjoint cohort): not a lead, not
    // listed, so it can never head an otherwise empty list.
    const alone = rankAnnotations(
      [deploy(205, 'web-513 search ranking tweak')],
      incident,
      ONSET,
      FIVE_MINUTES,
    );
    assert.deepEqual(alone, []);
  });
});

describe('ranking annotations against an estimated onset and the detected start', () => {
  it('measures each annotation against whichever of the two it is closer to', () => {
    const estimated = ONSET - 3 * 60 * MINUTE;
    const ranked = rankAnnotations(
      [
        { start: ONSET - 10 * MINUTE, kind: 'deploy', label: 'before detection', cohort: '' },
        { start: estimated - 5 * MINUTE, kind: 'deploy', label: 'before the estimate', cohort: '' },
        { start: estimated - 4 * 60 * MINUTE, kind: 'deploy', label: 'hours before both', cohort: '' },
      ],
      { cohort: { os: 'Android' } },
      estimated,
      FIVE_MINUTES,
      ONSET,
    );
    assert.deepEqual(
      ranked.map((l) => [l.details.label, l.score > 0.8]),
      [
        ['before detection', true],
        ['before the estimate', true],
      ],
    );
    assert.match(ranked[0]!.summary, /10 min before the detected start \(16:50 UTC\)/);
    assert.match(ranked[1]!.summary, /5 min before the estimated onset \(13:50 UTC\)/);
  });
});

describe('rate comparisons', () => {
  it('finds a ×13 rise of a count significant and scores it high', () => {
    // Seven earlier days with about 3 events in the window, then 40.
    const t = countTest(40, [3, 2, 4, 3, 3, 2, 4]);
    assert.ok(Math.abs(t.before - 3) < 1e-12);
    assert.ok(Math.abs(t.ratio - 40 / 3) < 1e-12);
    assert.ok(t.z > 10 && t.pValue < 1e-6);
    assert.ok(moveScore(t) > 0.9);
  });

  it('does not call a day-to-day wobble of a large count significant (over-dispersion)', () => {
    // ±5 % between days at 10,000 sessions: a Poisson test alone would give z ≈ 5 for 10,500.
    const t = countTest(10_500, [10_000, 9_500, 10_400, 9_600, 10_300, 9_700, 10_500]);
    assert.ok(Math.abs(t.z) < 2, `z ${t.z}`);
    assert.equal(moveScore(t), 0);
  });

  it('compares rates as rates, with the baseline pooled over days', () => {
    const day = { successes: 62, trials: 100 };
    const t = proportionTest({ successes: 25, trials: 100 }, Array(7).fill(day))!;
    assert.ok(Math.abs(t.before - 0.62) < 1e-12);
    assert.ok(Math.abs(t.after - 0.25) < 1e-12);
    assert.ok(t.z < -6);
    assert.equal(proportionTest({ successes: 0, trials: 0 }, [day]), null);
  });

  it('compares mean latency against the spread of earlier days', () => {
    const day = { sum: 400 * 50, count: 50 };
    const t = meanTest({ sum: 1200 * 50, count: 50 }, Array(7).fill(day))!;
    assert.ok(Math.abs(t.ratio - 3) < 1e-12);
    assert.ok(t.z > 6);
    assert.ok(Math.abs(meanTest({ sum: 410 * 50, count: 50 }, Array(7).fill(day))!.z) < 2);
  });

  it('scores size and significance together', () => {
    assert.equal(moveScore({ z: 1.9, ratio: 5 }), 0);
    assert.ok(moveScore({ z: 8, ratio: 1.1 }) < 0.15);
    assert.ok(Math.abs(moveScore({ z: 8, ratio: 2 }) - (1 - Math.exp(-1))) < 1e-12);
  });
});

describe('metric and confinement evidence from window sums', () => {
  const sums = (s: Partial<Sums>): Sums => ({
    sessions: 1000,
    sessions_with_add_to_cart: 300,
    sessions_with_checkout: 100,
    sessions_with_purchase: 62,
    orders: 62,
    page_views: 4000,
    errors: 5,
    payment_failures: 3,
    latency_ms_sum: 400 * 100,
    latency_ms_count: 100,
    ...s,
  });
  const days = (s: Partial<Sums> = {}) => Array.from({ length: 7 }, () => sums(s));
  const windows: CohortWindows = {
    first: 8 * 288,
    starts: Array.from({ length: 7 }, (_, d) => (7 - d) * 288),
    buckets: 12,
    hours: 1,
    baseline: 'same hours of earlier days',
    inside: {
      after: sums({
        payment_failures: 41,
        sessions_with_purchase: 25,
        orders: 25,
        latency_ms_sum: 1200 * 100,
      }),
      baseline: days(),
    },
    outside: {
      after: sums({ sessions: 5000, sessions_with_checkout: 500, sessions_with_purchase: 305 }),
      baseline: days({ sessions: 5000, sessions_with_checkout: 500, sessions_with_purchase: 310 }),
    },
  };
  const cohort = { os: 'iOS', browser: 'Safari' };

  it('lists the metrics that moved with the incident, best first, in plain words', () => {
    const lines = metricEvidence(windows, cohort, 'checkout_conversion', ONSET);
    const names = lines.map((l) => l.details.metric);
    assert.ok(!names.includes('checkout_conversion'), 'the incident metric itself is not evidence');
    assert.equal(names[0], 'payment_failures');
    assert.ok(names.includes('latency'));
    assert.ok(!names.includes('sessions') && !names.includes('errors'), names.join());
    assert.equal(
      lines[0]!.summary,
      'payment failures in browser=Safari & os=iOS rose from 3.0 to 41 per hour (×14) from 16:50 UTC, ' +
        `against the same hours of 7 earlier days (z = ${lines[0]!.details.z.toFixed(1)})`,
    );
  });

  it('says the change is confined when the metric outside the cohort did not move', () => {
    const line = confinementEvidence(windows, cohort, 'checkout_conversion')!;
    assert.ok(line.score > 0.4, `score ${line.score}`);
    assert.match(
      line.summary,
      /^outside browser=Safari & os=iOS, checkout conversion stayed at 61 % \(was 62 %\)/,
    );
    assert.match(line.summary, /confined to the cohort$/);
    assert.equal(confinementEvidence(windows, {}, 'checkout_conversion'), null);
  });

  it('says so, and scores low, when the metric fell outside the cohort too', () => {
    const everywhere: CohortWindows = {
      ...windows,
      outside: {
        ...windows.outside,
        after: sums({ sessions: 5000, sessions_with_checkout: 500, sessions_with_purchase: 125 }),
      },
    };
    const line = confinementEvidence(everywhere, cohort, 'checkout_conversion')!;
    assert.ok(line.score < 0.2, `score ${line.score}`);
    assert.match(line.summary, /not confined/);
  });
});

describe('onset of the change', () => {
  it('finds where a shift began when detection saw it hours later', () => {
    const random = mulberry32(7);
    const noise = () => (random() + random() + random() - 1.5) * 2;
    // 72 buckets of noise, then a shift of 2 standard deviations from bucket 40; detected at bucket 60.
    const scores = Float64Array.from({ length: 90 }, (_, i) => noise() + (i >= 40 ? 2 : 0));
    const onset = estimateOnset(scores, 60);
    assert.ok(Math.abs(onset - 40) <= 3, `onset ${onset}`);
  });

  it('keeps the detected start when nothing moved before it, and never moves later', () => {
    const scores = Float64Array.from({ length: 30 }, (_, i) => (i >= 20 ? 4 : i % 2 ? 0.3 : -0.3));
    assert.equal(estimateOnset(scores, 20), 20);
    assert.equal(
      estimateOnset(
        Float64Array.from({ length: 30 }, (_, i) => (i >= 25 ? 4 : 0)),
        20,
      ),
      20,
    );
  });

  it('does not pull the onset early over a stretch that only runs a little off', () => {
    // A morning 0.5 standard deviations low (an ordinary slow day), then the break at 60 of 3 deviations.
    const scores = Float64Array.from({ length: 100 }, (_, i) => (i >= 60 ? 3 : i >= 10 ? 0.5 : 0));
    assert.equal(estimateOnset(scores, 62), 60);
  });

  it('scores buckets against the same bucket of earlier days, in the incident direction', () => {
    // Two days of 288 five-minute buckets; a count of 4 per bucket, then 12 in the last 10 buckets.
    const count = new Float64Array(576).fill(4);
    for (let b = 566; b < 576; b++) count[b] = 12;
    const metric = { metric: 'errors', label: 'errors', kind: 'count' as const, numerator: 'errors' };
    const up = bucketScores({ errors: count }, metric, 288, 560, 576, 1);
    assert.equal(up[0], 0);
    assert.equal(up[10], (12 - 4) / 2);
    assert.equal(bucketScores({ errors: count }, metric, 288, 560, 576, -1)[10], -(12 - 4) / 2);
    // One bucket far out is capped at 5 standard deviations.
    count[575] = 400;
    assert.equal(bucketScores({ errors: count }, metric, 288, 560, 576, 1)[15], 5);
    assert.ok(Number.isNaN(bucketScores({ errors: count }, metric, 288, 0, 1, 1)[0]!));
  });
});
