import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cusumThreshold } from '../../workers/detect/calibrate';
import { MeanDetector, type MeanScore } from '../../workers/detect/means';
import type { MeanObservation } from '../../workers/detect/means';
import { assertSameWithoutGaps } from './support/gaps';
import { mulberry32 } from './support/random';

/** Standard normal by Box–Muller. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Poisson by multiplication (small means). */
function poisson(rand: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

/**
 * Checkout latency: a Poisson number of checkouts per bucket (`perBucket`), each log-normal around 480 ms
 * (σ of the log 0.28, as the demo store draws them), times `factor(i)` from bucket i on.
 */
function latencies(
  length: number,
  perBucket: number,
  factor: (i: number) => number,
  seed: number,
): MeanObservation[] {
  const rand = mulberry32(seed);
  return Array.from({ length }, (_, i) => {
    const count = poisson(rand, perBucket);
    let sum = 0;
    for (let j = 0; j < count; j++) sum += 480 * Math.exp(0.28 * normal(rand)) * factor(i);
    return { sum, count };
  });
}

const score = (obs: readonly MeanObservation[], options = {}) => new MeanDetector(options).scoreSeries(obs);
const alarms = (scores: readonly (MeanScore | null)[], from: number, to: number) =>
  scores.slice(from, to).filter((s) => s?.alarm).length;
const firstAlarm = (scores: readonly (MeanScore | null)[], from: number) => {
  for (let i = from; i < scores.length; i++)
    if (scores[i]?.alarm && scores[i]?.direction === 'up') return i - from;
  return -1;
};

describe('MeanDetector: hand-computed bucket', () => {
  it('a bucket of four at 115 after a baseline of 100 ± 10 adds δ√n·z − nδ²/2 to each chart (logs)', () => {
    const detector = new MeanDetector({ memory: 1e12, warmupObservations: 10 });
    for (let i = 0; i < 40; i++) detector.push({ sum: i % 2 ? 110 : 90, count: 1 });
    const mu = detector.baselineMean;
    const m = detector.logMean;
    const sigma = detector.spread;
    assert.ok(Math.abs(mu - 100) < 0.6, `mean ${mu}`);
    // ln 90 and ln 110 alternate: their mean is ln √9900 and their spread about ln(110/90)/2 ≈ 0.1.
    assert.ok(Math.abs(m - Math.log(Math.sqrt(90 * 110))) < 0.006, `log mean ${m}`);
    assert.ok(Math.abs(sigma - Math.log(110 / 90) / 2) < 0.01, `spread ${sigma}`);
    const s = detector.push({ sum: 4 * 115, count: 4 }) as MeanScore;
    const z = ((Math.log(115) - m) * 2) / sigma;
    assert.ok(Math.abs(s.z - z) < 1e-9, `z ${s.z} vs ${z}`);
    // The stronger up chart is the small one (δ = ½: 0.5·2·z − 4·¼/2) or the large (δ = 2: 2·2·z − 4·4/2).
    const llr = Math.max(0.5 * 2 * z - 0.5, 4 * z - 8);
    assert.ok(Math.abs(s.evidencePValue - Math.min(1, 2 * Math.exp(-llr))) < 1e-12, `${s.evidencePValue}`);
    assert.equal(s.expected, mu);
    assert.equal(s.mean, 115);
  });

  it('one extreme bucket is clipped: it cannot alarm by itself', () => {
    const detector = new MeanDetector({ memory: 1e12, warmupObservations: 10 });
    for (let i = 0; i < 40; i++) detector.push({ sum: i % 2 ? 110 : 90, count: 1 });
    const s = detector.push({ sum: 10_000, count: 1 }) as MeanScore;
    assert.equal(s.z, 4.5);
    assert.equal(s.alarm, false);
    assert.ok(Math.abs(s.evidencePValue - 2 * Math.exp(-(2 * 4.5 - 2))) < 1e-12, `${s.evidencePValue}`);
    // The next such bucket is evidence enough.
    assert.equal(detector.push({ sum: 10_000, count: 1 })?.alarm, true);
  });

  it('warms up before scoring, and a gap is missing data, not a zero', () => {
    const obs = latencies(400, 2, () => 1, 3);
    const scores = score(obs);
    assert.equal(scores[0], null);
    const withGaps = obs.flatMap((o, i) => (i % 7 === 3 ? [{ sum: null, count: null }, o] : [o]));
    const isGap = (i: number) => withGaps[i]!.sum === null;
    assertSameWithoutGaps(score(withGaps), scores, isGap);
    // A bucket without checkouts has no mean: no score either.
    assert.equal(new MeanDetector().push({ sum: 0, count: 0 }), null);
  });
});

describe('MeanDetector: calibration and delay', () => {
  it('stationary latency (about two checkouts a bucket) alarms at or under the medium rate, near it at high', () => {
    let medium = 0;
    let high = 0;
    let scored = 0;
    for (const seed of [1, 2, 3]) {
      const obs = latencies(10_000, 2, () => 1, seed);
      const m = score(obs, { sensitivity: 'medium' });
      medium += alarms(m, 0, obs.length);
      high += alarms(score(obs, { sensitivity: 'high' }), 0, obs.length);
      scored += m.filter((s) => s !== null).length;
    }
    assert.ok(medium / scored <= 1e-3, `medium ${medium / scored}`);
    assert.ok(high / scored <= 1e-2, `high ${high / scored}`);
    // Not blind: the log-normal's right tail makes a few buckets look slow, and high sees them.
    assert.ok(high > medium, `high ${high}, medium ${medium}`);
  });

  it('a payment sheet at three times the latency is found within two buckets at one checkout a bucket', () => {
    const h = cusumThreshold('medium') + Math.log(2);
    for (const seed of [4, 5, 6, 7]) {
      const obs = latencies(2_000, 1, (i) => (i >= 1_500 ? 3 : 1), seed);
      const delay = firstAlarm(score(obs), 1_500);
      // A tripled latency is ln 3 / 0.28 ≈ 3.9σ of one checkout's log: the large chart gains about
      // 2·3.9 − 2 ≈ 5.8 nats from a bucket with one checkout, two of them past h.
      assert.ok(h > 7 && h < 14, `h ${h}`);
      assert.ok(delay >= 0 && delay <= 2, `seed ${seed}: delay ${delay}`);
    }
  });

  it('a 30 % rise is found within the buckets its drift predicts (ten checkouts a bucket)', () => {
    // +30 % is ln 1.3 / 0.28 ≈ 0.94σ of one checkout's log. The small chart (δ = ½) drifts
    // n(δd − δ²/2) ≈ 10·0.34 = 3.4 nats a bucket, the large (δ = 2) goes down: h / 3.4 ≈ 2–3.
    for (const seed of [8, 9, 10, 11]) {
      const obs = latencies(2_000, 10, (i) => (i >= 1_500 ? 1.3 : 1), seed);
      const delay = firstAlarm(score(obs), 1_500);
      assert.ok(delay >= 0 && delay <= 5, `seed ${seed}: delay ${delay}`);
    }
  });

  it('a fall is scored down and dates its onset', () => {
    const obs = latencies(2_000, 10, (i) => (i >= 1_500 ? 0.6 : 1), 12);
    const scores = score(obs);
    const first = scores.findIndex((s, i) => i >= 1_500 && s?.alarm);
    const s = scores[first] as MeanScore;
    assert.equal(s.direction, 'down');
    assert.ok(first - 1_500 <= 2, `delay ${first - 1_500}`);
    assert.ok(Math.abs((s.onset as number) - 1_500) <= 1, `onset ${s.onset}`);
  });
});
