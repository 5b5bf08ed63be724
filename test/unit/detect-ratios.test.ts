import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { betaBinomLogPmf, betaBinomShape } from '../../workers/detect/distributions';
import type { RatioDetectorOptions, RatioScore } from '../../workers/detect/ratios';
import {
  RatioDetector,
  bernoulliKl,
  ratioLlr,
  ratioTails,
  scoreRatioSeries,
} from '../../workers/detect/ratios';
import type { RatioObservation } from '../../workers/detect/types';
import { assertSameWithoutGaps } from './support/gaps';
import { mulberry32, gamma } from './support/random';

// ---------------------------------------------------------------------------------------------------------
// Seeded sampling

/** Binomial by inversion (walks the pmf up from 0). */
function binomial(rand: () => number, n: number, p: number): number {
  const u = rand();
  let k = 0;
  let pmf = Math.pow(1 - p, n);
  let cdf = pmf;
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
    k++;
    cdf += pmf;
  }
  return k;
}

function beta(rand: () => number, a: number, b: number): number {
  const x = gamma(rand, a);
  return x / (x + gamma(rand, b));
}

/** n trials per bucket, rate p(i). */
function ratioSeries(length: number, n: number, p: (i: number) => number, seed: number): RatioObservation[] {
  const rand = mulberry32(seed);
  return Array.from({ length }, (_, i) => ({ successes: binomial(rand, n, p(i)), trials: n }));
}

const H_MEDIUM = Math.log(2000); // 7.6009

function firstAlarm(scores: readonly (RatioScore | null)[], from: number): number {
  for (let i = from; i < scores.length; i++) if (scores[i]?.alarm) return i - from;
  return -1;
}

function alarmCount(scores: readonly (RatioScore | null)[], from: number, to: number): number {
  return scores.slice(from, to).filter((s) => s?.alarm).length;
}

// ---------------------------------------------------------------------------------------------------------

describe('ratio evidence, hand-computed', () => {
  it('LLR of k = 60 of n = 400 for p1 = 0.225 against p0 = 0.3 is 60 ln 0.75 + 340 ln(0.775/0.7) = 17.3452', () => {
    assert.ok(
      Math.abs(ratioLlr(60, 400, 0.3, 0.225) - 17.345191718273558) < 1e-9,
      'Math.abs(ratioLlr(60, 400, 0.3, 0.225) - 17.345191718273558) < 1e-9',
    );
    // under H0 the expected LLR is −n·KL(p0‖p1)
    assert.ok(
      Math.abs(bernoulliKl(0.3, 0.225) - (0.3 * Math.log(0.3 / 0.225) + 0.7 * Math.log(0.7 / 0.775))) < 1e-15,
      'Math.abs(bernoulliKl(0.3, 0.225) - (0.3 * Math.log(0.3 / 0.225) + 0.7 * Math.log(0.7 / 0.775))) < 1e-15',
    );
  });

  it('beta-binomial LLR is the difference of beta-binomial log-pmfs', () => {
    const rho = 0.05;
    const a = betaBinomShape(0.225, rho);
    const b = betaBinomShape(0.3, rho);
    const expected = betaBinomLogPmf(9, 40, a.alpha, a.beta) - betaBinomLogPmf(9, 40, b.alpha, b.beta);
    assert.ok(
      Math.abs(ratioLlr(9, 40, 0.3, 0.225, rho) - expected) < 1e-10,
      'Math.abs(ratioLlr(9, 40, 0.3, 0.225, rho) - expected) < 1e-10',
    );
    // overdispersion weakens the evidence of the same counts
    assert.ok(
      ratioLlr(60, 400, 0.3, 0.225, rho) < ratioLlr(60, 400, 0.3, 0.225, 0) / 5,
      'ratioLlr(60, 400, 0.3, 0.225, rho) < ratioLlr(60, 400, 0.3, 0.225, 0) / 5',
    );
  });

  it('single-bucket p-values are binomial tails: P(X ≤ 1 | 10, 0.3) = 0.14930835', () => {
    const t = ratioTails(1, 10, 0.3);
    assert.ok(Math.abs(t.low - 0.1493083459) < 1e-9, 'Math.abs(t.low - 0.1493083459) < 1e-9');
    assert.ok(Math.abs(t.high - (1 - 0.7 ** 10)) < 1e-12, 'Math.abs(t.high - (1 - 0.7 ** 10)) < 1e-12');
  });
});

describe('RatioDetector: detection of a drop from 0.30 to 0.15', () => {
  it('n = 400 per bucket: alarms in the first changed bucket (delay 0, bound ≤ 1), none on the 2,000-bucket prefix', () => {
    // One changed bucket carries LLR ≈ 400·KL(0.15‖0.3) − … ≈ 17 > h = 7.6.
    for (const seed of [1, 2, 3]) {
      const scores = scoreRatioSeries(
        ratioSeries(2100, 400, (i) => (i < 2000 ? 0.3 : 0.15), seed),
        { sensitivity: 'medium' },
      );
      assert.equal(alarmCount(scores, 0, 2000), 0, `seed ${seed}: alarms before the change`);
      const delay = firstAlarm(scores, 2000);
      assert.ok(delay >= 0 && delay <= 1, `seed ${seed}: delay ${delay}`);
      const s = scores[2000] as RatioScore;
      assert.equal(s.direction, 'down');
      assert.ok(
        s.cusumDown >= H_MEDIUM && s.bucketPValue < 1e-6,
        's.cusumDown >= H_MEDIUM && s.bucketPValue < 1e-6',
      );
    }
  });

  it('n = 5 per bucket: needs several buckets of evidence (here 8–60), none on the 2,000-bucket prefix', () => {
    // Bound: one bucket adds at most 5 ln(0.775/0.7) = 0.509 to the 25 % chart and 5 ln(0.88/0.7) = 1.144 to
    // the 60 % chart (all five fail), so from S = 0 at least ⌈(7.6 + ln 2) / 1.144⌉ = 8 buckets are needed;
    // the expected delay of the 60 % chart is ≈ (h + overshoot) / E[LLR] = (8.3 + ~0.5) / (5 · 0.0574) ≈ 31
    // buckets (E[LLR] = 0.15 ln(0.12/0.3) + 0.85 ln(0.88/0.7) per trial).
    const maxStep = 5 * Math.log(0.88 / 0.7);
    assert.equal(Math.ceil((H_MEDIUM + Math.log(2)) / maxStep), 8);
    const delays: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const scores = scoreRatioSeries(
        ratioSeries(2200, 5, (i) => (i < 2000 ? 0.3 : 0.15), 100 + seed),
        { sensitivity: 'medium' },
      );
      assert.equal(alarmCount(scores, 0, 2000), 0, `seed ${seed}: alarms before the change`);
      const delay = firstAlarm(scores, 2000);
      delays.push(delay);
      assert.ok(delay >= 8 && delay <= 100, `seed ${seed}: delay ${delay}`);
    }
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    assert.ok(mean >= 15 && mean <= 60, `mean delay ${mean} (${delays.join(', ')})`);
  });

  it('the 60 % chart finds a large drop in a small cohort sooner than the 25 % chart alone', () => {
    // Checkout conversion of a cohort with 5 checkouts a bucket falls from 0.65 to 0.3 (a payment step broken).
    // Expected delays: 25 % chart (p₁ = 0.5625) (7.6 + ~0.3) / (5 · 0.113) ≈ 14 buckets; both charts, the 60 %
    // one (p₁ = 0.44) (8.3 + ~0.5) / (5 · 0.212) ≈ 8.
    const meanDelay = (options: RatioDetectorOptions) => {
      let sum = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const scores = scoreRatioSeries(
          ratioSeries(1100, 5, (i) => (i < 1000 ? 0.65 : 0.3), 300 + seed),
          { sensitivity: 'medium', ...options },
        );
        assert.equal(alarmCount(scores, 0, 1000), 0, `seed ${seed}: alarms before the change`);
        const delay = firstAlarm(scores, 1000);
        assert.ok(delay >= 0, `seed ${seed}: never alarmed`);
        sum += delay;
      }
      return sum / 12;
    };
    const single = meanDelay({ largeShift: 0 });
    const both = meanDelay({});
    assert.ok(single >= 9 && single <= 22, `25 % chart alone: mean delay ${single}`);
    assert.ok(both >= 5 && both <= 13, `both charts: mean delay ${both}`);
    assert.ok(both < single * 0.8, `both ${both} vs single ${single}`);
  });

  it("an alarm's onset estimates when the shift began, and its peak when the shift ended", () => {
    // A 40-bucket drop from 0.65 to 0.3 at bucket 1000 in a cohort of 5 trials a bucket: found after several
    // buckets, but the run carrying the evidence began at the change (the last zero of the CUSUM), and the
    // alarm that outlives the shift (the CUSUM decays slowly from its cap) points back at where it stopped.
    for (let seed = 1; seed <= 12; seed++) {
      const scores = scoreRatioSeries(
        ratioSeries(1100, 5, (i) => (i >= 1000 && i < 1040 ? 0.3 : 0.65), 300 + seed),
        { sensitivity: 'medium' },
      );
      const first = scores.findIndex((s, i) => i >= 1000 && s?.alarm);
      const alarm = scores[first] as RatioScore;
      assert.ok(first > 1002, `seed ${seed}: alarmed at ${first}, before enough evidence could exist`);
      assert.ok(Math.abs((alarm.onset as number) - 1000) <= 6, `seed ${seed}: onset ${alarm.onset}`);
      const lastAlarm = scores.findLastIndex((s) => s?.alarm);
      const peak = (scores[lastAlarm] as RatioScore).peak as number;
      assert.ok(lastAlarm > 1050, `seed ${seed}: the alarm ended at ${lastAlarm}`);
      assert.ok(peak >= 1036 && peak <= 1070, `seed ${seed}: peak ${peak}`);
    }
  });

  it('the single-bucket p-value of a small cohort is no evidence on its own', () => {
    // 0 of 5 when p0 = 0.3: P(X ≤ 0) = 0.7⁵ = 0.168 — nothing to alarm on; the CUSUM moves by 0.509 only.
    const d = new RatioDetector();
    d.scoreSeries(ratioSeries(300, 5, () => 0.3, 4));
    const zero = d.push({ successes: 0, trials: 5 }) as RatioScore;
    assert.ok(zero.bucketPValue > 0.12 && zero.bucketPValue < 0.22, `${zero.bucketPValue}`);
    assert.equal(zero.alarm, false);
  });
});

describe('RatioDetector: false alarms', () => {
  /** Pooled per-bucket alarm rate over several seeds (false alarms come in episodes of several buckets). */
  function pooledRate(n: number, sensitivity: 'medium' | 'high', seeds: number[], length: number): number {
    let alarms = 0;
    let scored = 0;
    for (const seed of seeds) {
      const scores = scoreRatioSeries(
        ratioSeries(length, n, () => 0.3, seed),
        { sensitivity },
      );
      alarms += alarmCount(scores, 0, length);
      scored += scores.filter((s) => s !== null).length;
    }
    return alarms / scored;
  }

  it('per-bucket alarm rate on stable series stays below α (n = 50, 2 × 10,000 buckets per sensitivity)', () => {
    const medium = pooledRate(50, 'medium', [1, 2], 10_000);
    assert.ok(medium <= 1e-3, `medium: rate ${medium}`);
    const high = pooledRate(50, 'high', [1, 2], 10_000);
    assert.ok(high <= 1e-2, `high: rate ${high}`);
    // calibrated, not blind: within a factor 10 of the target (the bound is loose for n = 50: one bucket
    // carries K = 50·KL(0.3‖0.225) ≈ 0.75 nats)
    assert.ok(high >= 1e-3, `high: rate ${high}`);
  });

  it('small cohorts (n = 5) at high: near the target, since the bound is nearly tight there', () => {
    const rate = pooledRate(5, 'high', [1, 2, 3, 4], 10_000);
    assert.ok(rate <= 1.2e-2 && rate >= 2e-3, `rate ${rate}`);
  });

  it('overdispersed rates: the beta-binomial model estimates ρ and stays calibrated, the binomial does not', () => {
    // Rate per bucket ~ Beta with mean 0.3 and ρ = 0.02, n = 200: variance 1 + 199·0.02 ≈ 5× binomial.
    const rho = 0.02;
    const s = (1 - rho) / rho;
    const rand = mulberry32(9);
    const obs: RatioObservation[] = Array.from({ length: 6000 }, (_, i) => {
      const mean = i < 5000 ? 0.3 : 0.15;
      return { successes: binomial(rand, 200, beta(rand, mean * s, (1 - mean) * s)), trials: 200 };
    });
    const bb = scoreRatioSeries(obs, { model: 'beta-binomial' });
    const bin = scoreRatioSeries(obs, { model: 'binomial' });
    const rate = (xs: (RatioScore | null)[]) => alarmCount(xs, 1000, 5000) / 4000;
    assert.ok(rate(bb) <= 2e-3, `beta-binomial ${rate(bb)}`);
    assert.ok(rate(bin) > 0.05, `binomial ${rate(bin)}`);
    const last = bb[4999] as RatioScore;
    assert.ok(last.rho > 0.012 && last.rho < 0.03, `rho ${last.rho}`);
    const delay = firstAlarm(bb, 5000);
    assert.ok(delay >= 0 && delay <= 6, `delay ${delay}`);
  });
});

describe('RatioDetector: baseline, gaps and replay', () => {
  const opts: RatioDetectorOptions = { sensitivity: 'medium' };

  it('waits until the baseline rate is known to within a quarter of the design shift', () => {
    // Σn ≥ 16 (1 − 0.3) / (0.3 · 0.25²) ≈ 597 trials (exponentially weighted): 120–170 buckets of 5.
    const scores = scoreRatioSeries(
      ratioSeries(200, 5, () => 0.3, 10),
      opts,
    );
    const first = scores.findIndex((s) => s !== null);
    assert.ok(first >= 110 && first <= 170, `first score at ${first}`);
    // a big cohort waits only for the minimum of 10 buckets (a little more while the early overdispersion
    // estimate inflates the trials needed)
    const big = scoreRatioSeries(
      ratioSeries(30, 400, () => 0.3, 10),
      opts,
    );
    const firstBig = big.findIndex((s) => s !== null);
    assert.ok(firstBig >= 10 && firstBig <= 20, `first big-cohort score at ${firstBig}`);
    const binomialModel = scoreRatioSeries(
      ratioSeries(30, 400, () => 0.3, 10),
      { model: 'binomial' },
    );
    assert.equal(
      binomialModel.findIndex((s) => s !== null),
      10,
    );
  });

  it('missing buckets and buckets without trials return null and change nothing', () => {
    const obs = ratioSeries(1500, 20, (i) => (i < 1200 ? 0.3 : 0.18), 11);
    const rand = mulberry32(12);
    const holed: RatioObservation[] = obs.map((o, i) => {
      if (i >= 400 && i < 460) return { successes: null, trials: null };
      const u = rand();
      if (u < 0.03) return { successes: Number.NaN, trials: Number.NaN };
      if (u < 0.06) return { successes: 0, trials: 0 };
      return o;
    });
    const kept = holed.filter((o) => (o.trials ?? 0) > 0);
    const a = scoreRatioSeries(holed, opts);
    const b = scoreRatioSeries(kept, opts);
    assertSameWithoutGaps(a, b, (i) => !((holed[i]?.trials ?? 0) > 0));
    assert.ok(alarmCount(a, 1200, 1500) > 0, 'alarmCount(a, 1200, 1500) > 0');
  });

  it('replay: a bucket scores the same whether or not later buckets exist', () => {
    const obs = ratioSeries(1200, 30, (i) => (i < 900 ? 0.3 : 0.2), 13);
    const full = scoreRatioSeries(obs, opts);
    for (const t of [50, 899, 905, 1199]) {
      assert.deepEqual(scoreRatioSeries(obs.slice(0, t + 1), opts), full.slice(0, t + 1), `t=${t}`);
    }
  });

  it('stops learning while in alarm, and accepts a change that outlasts relearnAfter buckets', () => {
    const obs = ratioSeries(1900, 100, (i) => (i < 1000 ? 0.3 : 0.2), 14);
    const scores = scoreRatioSeries(obs, { relearnAfter: 288 });
    for (const s of scores) {
      if (!s) continue;
      // score and alarm follow the CUSUMs' evidence p-value 2e^{−S} (two charts per direction, Bonferroni);
      // pValue is the bucket's own tail
      assert.equal(
        s.evidencePValue,
        Math.min(1, Math.max(1e-300, 2 * Math.exp(-Math.max(s.cusumUp, s.cusumDown)))),
      );
      assert.equal(s.score, 1 - Math.min(1, 2 * s.evidencePValue));
      assert.equal(s.alarm, 2 * s.evidencePValue <= 1e-3, `bucket ${s.index}`);
    }
    const run = alarmCount(scores, 1000, 1288);
    assert.ok(run >= 280, `alarm held for ${run} of 288 buckets`);
    // the baseline did not drift towards 0.2 during the alarm
    assert.ok(
      Math.abs((scores[1250] as RatioScore).expected - 0.3) < 0.01,
      'Math.abs((scores[1250] as RatioScore).expected - 0.3) < 0.01',
    );
    // then the new rate is the baseline and the alarm ends
    assert.ok(alarmCount(scores, 1300, 1900) <= 3, `${alarmCount(scores, 1300, 1900)}`);
    assert.ok(
      Math.abs((scores[1899] as RatioScore).expected - 0.2) < 0.01,
      'Math.abs((scores[1899] as RatioScore).expected - 0.2) < 0.01',
    );
  });

  it('reports a rate band, the bucket p-value and the CUSUM state', () => {
    const scores = scoreRatioSeries(
      ratioSeries(300, 400, () => 0.3, 15),
      opts,
    );
    const s = scores[299] as RatioScore;
    assert.ok(
      s.lower < 0.3 && s.upper > 0.3 && s.upper - s.lower < 0.25,
      's.lower < 0.3 && s.upper > 0.3 && s.upper - s.lower < 0.25',
    );
    assert.equal(s.pValue, s.bucketPValue);
    assert.equal(s.threshold, H_MEDIUM + Math.log(2));
    assert.equal(s.observedRate, s.successes / s.trials);
    assert.equal(s.baseline, 'level');
  });
});
