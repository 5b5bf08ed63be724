import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incidentWindow } from '../../workers/incidents/build';
import { episodes } from '../../workers/incidents/group';
import { WATCHED_METRICS, type Candidate, type ScannedSeries } from '../../workers/incidents/scan';

const conversion = WATCHED_METRICS.find((m) => m.metric === 'checkout_conversion')!;
const sessions = WATCHED_METRICS.find((m) => m.metric === 'sessions')!;
const conversionRate = WATCHED_METRICS.find((m) => m.metric === 'conversion_rate')!;

function series(
  metric: ScannedSeries['metric'],
  cohort: Record<string, string> = { os: 'iOS' },
  data: Record<string, Float64Array> = {},
): ScannedSeries {
  const key = Object.entries(cohort)
    .map(([d, v]) => `${d}=${v}`)
    .join('&');
  return { metric, cohort: { key, cohort, series: data, totals: {} }, level: 1 };
}

function candidate(bucket: number, onset: number, peak: number, seriesId = 0): Candidate {
  return {
    series: seriesId,
    bucket,
    pValue: 1e-6,
    score: 0.999,
    direction: 'down',
    expected: 0.6,
    observed: 2,
    trials: 10,
    onset,
    peak,
  };
}

describe('episodes: the window the detectors date', () => {
  it('starts at the onset of the first significant bucket and ends at the peak of the last', () => {
    // A rate whose CUSUM run began at bucket 100, significant at times from 130 to 190; the evidence stopped
    // growing at 160 (the shift ended then; the capped chart stayed in alarm for a while).
    const anomalies = [130, 131, 132, 150, 160, 170, 190].map((b) => candidate(b, 100, Math.min(b, 160)));
    const found = episodes([series(conversion)], anomalies, 2, 300_000);
    assert.deepEqual(
      found.map((e) => [e.first, e.last, e.onset, e.settled]),
      [
        // 18 buckets (90 minutes) after 132: a new episode, although of the same run
        [130, 132, 100, 132],
        // 10 buckets apart but in the same run (its onset lies before the episode's last bucket): one episode
        [150, 170, 100, 160],
        // 20 buckets on: its own episode; its run peaked before it, so it keeps its significant span
        [190, 190, 190, 190],
      ],
    );
  });

  it('splits at a gap when the later bucket belongs to a new run', () => {
    const anomalies = [candidate(130, 120, 130), candidate(131, 120, 131), candidate(140, 138, 140)];
    const found = episodes([series(conversion)], anomalies, 2, 300_000);
    assert.deepEqual(
      found.map((e) => [e.first, e.last, e.onset, e.settled]),
      [
        [130, 131, 120, 131],
        [140, 140, 138, 140],
      ],
    );
  });

  it('dates a long episode from its onset to the peak, never past its last significant bucket', () => {
    const anomalies = Array.from({ length: 60 }, (_, i) => candidate(130 + i, 100, Math.min(130 + i, 160)));
    const [e] = episodes([series(conversion)], anomalies, 2, 300_000);
    assert.deepEqual([e!.first, e!.last, e!.onset, e!.settled], [130, 189, 100, 160]);
  });

  it('does not date an onset more than six hours before the first significant bucket', () => {
    // 5-minute buckets: six hours are 72 buckets.
    const [e] = episodes([series(conversion)], [candidate(500, 10, 500)], 2, 300_000);
    assert.equal(e!.onset, 428);
    const [hourly] = episodes([series(conversion)], [candidate(500, 10, 500)], 2, 3_600_000);
    assert.equal(hourly!.onset, 494);
  });

  it('a single-bucket alarm (onset = peak = its bucket) spans its significant buckets as before', () => {
    const anomalies = [40, 41, 42].map((b) => candidate(b, b, b));
    const [e] = episodes([series(sessions)], anomalies, 2, 300_000);
    assert.deepEqual([e!.first, e!.last, e!.onset, e!.settled], [40, 42, 40, 42]);
  });

  it("an incident's window covers its primary family's episodes, not a diluting surge's", () => {
    const rate = episodes([series(conversion)], [candidate(130, 100, 130), candidate(131, 100, 131)])[0]!;
    const surge = episodes([series(sessions)], [candidate(20, 20, 20), candidate(21, 20, 21)])[0]!;
    const late = episodes([series(conversion)], [candidate(150, 140, 150)])[0]!;
    assert.deepEqual(incidentWindow(rate, [rate, surge, late], 300_000).first, 100);
    assert.deepEqual(incidentWindow(rate, [rate, surge, late], 300_000).last, 150);
    assert.deepEqual(incidentWindow(surge, [rate, surge, late], 300_000).first, 20);
    assert.deepEqual(incidentWindow(surge, [rate, surge, late], 300_000).last, 21);
  });

  it('starts a rate incident at the break the data show, not at a slightly low stretch before it', () => {
    // 40 checkouts per bucket at 0.6, 0.57 (a little under) from bucket 100, 0.3 from 120.
    const trials = new Float64Array(200).fill(40);
    const purchases = Float64Array.from({ length: 200 }, (_, b) => (b >= 120 ? 12 : b >= 100 ? 23 : 24));
    const data = { [conversion.numerator]: purchases, [conversion.denominator]: trials };
    const anomalies = [130, 131, 132].map((b) => candidate(b, 100, b));
    const [e] = episodes([series(conversion, { os: 'iOS' }, data)], anomalies, 2, 300_000);
    assert.equal(e!.onset, 100, 'the chart dates its run from the slightly low stretch');
    assert.equal(incidentWindow(e!, [e!], 300_000).first, 120);
  });

  it("an incident's window is its metric's, in cohorts holding or inside its own", () => {
    const android = episodes([series(conversion, { os: 'Android' })], [candidate(130, 120, 131)])[0]!;
    const all = episodes([series(conversion, {})], [candidate(139, 115, 140)])[0]!;
    // Another funnel rate in a cohort that shares visitors, dated from its own noise.
    const us = episodes([series(conversionRate, { country: 'US' })], [candidate(140, 90, 150)])[0]!;
    assert.deepEqual(incidentWindow(android, [android, all, us], 300_000), { first: 115, last: 139 });
  });
});
