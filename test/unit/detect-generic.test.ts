import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnsembleScore } from '../../workers/detect/combine';
import { GenericEnsemble } from '../../workers/detect/combine';
import { normalSf } from '../../workers/detect/distributions';
import type { GenericScore } from '../../workers/detect/generic';
import {
  CusumChart,
  EwmaChart,
  GenericDetector,
  LongRunVariance,
  RobustSeasonalBaseline,
  createCusumDetector,
  createEwmaDetector,
  createRobustZDetector,
} from '../../workers/detect/generic';
import { MAD_TO_SIGMA } from '../../workers/detect/series';
import { ShesdDetector, esdCritical, grubbsPValue } from '../../workers/detect/shesd';
import type { BucketScore, ValueObservation } from '../../workers/detect/types';
import { mulberry32 } from './support/random';
import { alarmRate } from './support/alarms';

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
}

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const Q = 15; // 15-minute buckets
const PER_DAY = 96;

/** Daily sine (amplitude 50) around 200 plus N(0, 10²) noise, on 15-minute buckets. */
function noisySine(length: number, seed: number, extra: (i: number) => number = () => 0): ValueObservation[] {
  const rand = mulberry32(seed);
  return Array.from({ length }, (_, i) => ({
    time: T0 + i * Q * MIN,
    value: 200 + 50 * Math.sin((2 * Math.PI * i) / PER_DAY) + 10 * gauss(rand) + extra(i),
  }));
}

function firstAlarm(scores: readonly (BucketScore | null)[], from: number): number {
  for (let i = from; i < scores.length; i++) if (scores[i]?.alarm) return i - from;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------

describe('robust seasonal baseline', () => {
  it('falls back to the trailing median/MAD: [10 12 11 13 9 10 11 12 10 11 12 11] → 11, MAD 1', () => {
    const b = new RobustSeasonalBaseline({ bucketMinutes: 60 });
    const values = [10, 12, 11, 13, 9, 10, 11, 12, 10, 11, 12, 11];
    assert.equal(b.predict(T0), null);
    values.forEach((v, i) => b.add(T0 + i * 60 * MIN, v));
    const p = b.predict(T0 + 12 * 60 * MIN);
    assert.ok(p, 'p');
    assert.equal(p.baseline, 'level');
    assert.equal(p.center, 11);
    assert.equal(p.n, 12);
    // scale = 1.4826 · MAD · √(1 + π/(2n)), df = 0.37 n
    assert.ok(
      Math.abs(p.scale - MAD_TO_SIGMA * Math.sqrt(1 + Math.PI / 24)) < 1e-12,
      'Math.abs(p.scale - MAD_TO_SIGMA * Math.sqrt(1 + Math.PI / 24)) < 1e-12',
    );
    assert.ok(Math.abs(p.df - 4.44) < 1e-12, 'Math.abs(p.df - 4.44) < 1e-12');
  });

  it('uses the same time of day (±30 min) of earlier days once 3 days contribute', () => {
    // value = local hour of day; at 05:00 on day 3 the window holds 04:30, 04:45, 05:00, 05:15 of days 0–2
    const b = new RobustSeasonalBaseline({ bucketMinutes: Q });
    for (let i = 0; i < 3 * PER_DAY; i++) b.add(T0 + i * Q * MIN, Math.floor((i % PER_DAY) / 4));
    const p = b.predict(T0 + (3 * PER_DAY + 20) * Q * MIN);
    assert.ok(p, 'p');
    assert.equal(p.baseline, 'seasonal');
    assert.equal(p.n, 12);
    assert.equal(p.center, 4.5);
  });

  it('follows the local time of day across a DST change', () => {
    // Local = UTC+1 before T0 + 2 days, UTC+2 after; the series is a function of local hour.
    const switchAt = T0 + 2 * 86_400_000;
    const offset = (t: number) => (t < switchAt ? 60 : 120);
    const local = (t: number) =>
      Math.floor(((((t + offset(t) * MIN) % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
    const b = new RobustSeasonalBaseline({ bucketMinutes: Q, offset });
    for (let i = 0; i < 4 * PER_DAY; i++) b.add(T0 + i * Q * MIN, local(T0 + i * Q * MIN));
    const t = T0 + (4 * PER_DAY + 21) * Q * MIN; // 05:15 UTC = 07:15 local
    const p = b.predict(t);
    assert.ok(p, 'p');
    assert.equal(p.baseline, 'seasonal');
    assert.ok(Math.abs(p.center - local(t)) <= 0.5, `centre ${p.center}, local hour ${local(t)}`);
  });
});

describe('EWMA and CUSUM charts, hand-computed', () => {
  it('EWMA λ = 0.5 on residuals 1, 1: statistic 0.5, 0.75, variance λ/(2−λ)(1−(1−λ)^{2t})', () => {
    const chart = new EwmaChart(0.5);
    const a = chart.next(1);
    assert.equal(a.statistic, 0.5);
    // var = (1/3)(1 − 1/4) = 1/4 → z = 1
    assert.ok(Math.abs(a.up - normalSf(1)) < 1e-15, 'Math.abs(a.up - normalSf(1)) < 1e-15');
    const b = chart.next(1);
    assert.equal(b.statistic, 0.75);
    // var = (1/3)(1 − 1/16) = 0.3125 → z = 1.3416408
    assert.ok(Math.abs(b.up - 0.08985624743949992) < 1e-12, 'Math.abs(b.up - 0.08985624743949992) < 1e-12');
    assert.ok(b.down > 0.9, 'b.down > 0.9');
  });

  it('CUSUM k = 0.5 on residuals 2, 2, −1: S⁺ = 1.5, 3, 1.5 and p = e^{−S}', () => {
    const chart = new CusumChart('medium', 0.5);
    const steps = [2, 2, -1].map((r) => chart.next(r));
    assert.deepEqual(
      steps.map((s) => s.cusumUp),
      [1.5, 3, 1.5],
    );
    assert.deepEqual(
      steps.map((s) => s.cusumDown),
      [0, 0, 0.5],
    );
    assert.ok(
      Math.abs((steps[1] as { up: number }).up - Math.exp(-3)) < 1e-15,
      'Math.abs((steps[1] as { up: number }).up - Math.exp(-3)) < 1e-15',
    );
    assert.ok(
      Math.abs(CusumChart.threshold('medium') - Math.log(2000)) < 1e-12,
      "Math.abs(CusumChart.threshold('medium') - Math.log(2000)) < 1e-12",
    );
    // with long-run variance 2 the same statistic is half the evidence
    assert.ok(
      Math.abs(new CusumChart('medium').next(4, 2).up - Math.exp(-1.75)) < 1e-15,
      "Math.abs(new CusumChart('medium').next(4, 2).up - Math.exp(-1.75)) < 1e-15",
    );
  });

  it('long-run variance by batch means: ≈ 1 for white noise, ≈ 1 + 2ρ/(1−ρ) for AR(1)', () => {
    const rand = mulberry32(5);
    const white = new LongRunVariance(16, 0.999);
    const ar = new LongRunVariance(16, 0.999);
    let x = 0;
    for (let i = 0; i < 64_000; i++) {
      white.add(gauss(rand), true);
      x = 0.5 * x + Math.sqrt(0.75) * gauss(rand); // unit variance, ρ = 0.5 → long-run variance 3
      ar.add(x, true);
    }
    assert.ok(white.value < 1.2, `white ${white.value}`);
    // batch means of 16 under-read AR(1) a little (≈ 2.8 for ρ = 0.5)
    assert.ok(ar.value > 2.4 && ar.value < 3.3, `AR(1) ${ar.value}`);
  });
});

describe('generic detectors: false alarms on seasonal Gaussian noise (60 days, 15-minute buckets)', () => {
  const obs = noisySine(60 * PER_DAY, 1);
  const from = 14 * PER_DAY;

  it('robust z within a factor 2 of the target at high (1e-2)', () => {
    const r = alarmRate(
      createRobustZDetector({ bucketMinutes: Q, sensitivity: 'high' }).scoreSeries(obs),
      from,
    );
    assert.ok(r >= 5e-3 && r <= 2e-2, `rate ${r}`);
  });

  it('EWMA within a factor 2 and CUSUM below 1.5× the target at high', () => {
    const e = alarmRate(createEwmaDetector({ bucketMinutes: Q, sensitivity: 'high' }).scoreSeries(obs), from);
    assert.ok(e >= 5e-3 && e <= 2e-2, `EWMA rate ${e}`);
    const c = alarmRate(
      createCusumDetector({ bucketMinutes: Q, sensitivity: 'high' }).scoreSeries(obs),
      from,
    );
    assert.ok(c <= 1.5e-2, `CUSUM rate ${c}`);
  });

  it('the ensemble stays at or below the target at high and at medium', () => {
    const high = alarmRate(
      new GenericEnsemble({ bucketMinutes: Q, sensitivity: 'high' }).scoreSeries(obs),
      from,
    );
    assert.ok(high >= 2e-3 && high <= 1e-2, `high ${high}`);
    const medium = alarmRate(
      new GenericEnsemble({ bucketMinutes: Q, sensitivity: 'medium' }).scoreSeries(obs),
      from,
    );
    assert.ok(medium <= 1.5e-3, `medium ${medium}`);
  });

  it('without the long-run variance correction the EWMA chart would alarm too often', () => {
    // A chart that assumes independent residuals: neighbouring buckets share their seasonal sample.
    const baseline = new RobustSeasonalBaseline({ bucketMinutes: Q });
    const chart = new EwmaChart(0.2);
    let alarms = 0;
    let n = 0;
    for (let i = 0; i < obs.length; i++) {
      const o = obs[i] as ValueObservation;
      const p = baseline.predict(o.time);
      baseline.add(o.time, o.value as number);
      if (!p || p.baseline !== 'seasonal') continue;
      const s = chart.next(Math.max(-4, Math.min(4, ((o.value as number) - p.center) / p.scale)));
      if (i < from) continue;
      n++;
      if (2 * Math.min(s.up, s.down) <= 1e-2) alarms++;
    }
    const corrected = alarmRate(
      createEwmaDetector({ bucketMinutes: Q, sensitivity: 'high' }).scoreSeries(obs),
      from,
    );
    assert.ok(alarms / n > corrected, `uncorrected ${alarms / n} vs corrected ${corrected}`);
  });
});

describe('generic detectors: detection (medium)', () => {
  it('a level shift of 3σ is alarmed by the ensemble within 4 buckets, 1σ within 40', () => {
    for (const seed of [1, 2, 3]) {
      const change = 16 * PER_DAY;
      for (const [shift, bound] of [
        [30, 4],
        [10, 40],
      ] as const) {
        const obs = noisySine(change + 200, seed, (i) => (i >= change ? shift : 0));
        const scores = new GenericEnsemble({ bucketMinutes: Q }).scoreSeries(obs);
        const delay = firstAlarm(scores, change);
        assert.ok(delay >= 0 && delay <= bound, `seed ${seed}, shift ${shift}: delay ${delay}`);
        assert.equal((scores[change + delay] as EnsembleScore).direction, 'up');
      }
    }
  });

  it('the CUSUM chart catches a 1σ shift that the robust z-score mostly misses', () => {
    const change = 16 * PER_DAY;
    const obs = noisySine(change + 100, 4, (i) => (i >= change ? 10 : 0));
    const z = createRobustZDetector({ bucketMinutes: Q }).scoreSeries(obs);
    const c = createCusumDetector({ bucketMinutes: Q }).scoreSeries(obs);
    const count = (xs: (GenericScore | null)[]) => xs.slice(change).filter((s) => s?.alarm).length;
    assert.ok(count(c) >= 50, `CUSUM ${count(c)} of 100`);
    assert.ok(count(z) <= 10, `z ${count(z)} of 100`);
  });

  it('a single 8σ spike is alarmed by the z-score, S-H-ESD and the ensemble in its own bucket', () => {
    const spike = 10 * PER_DAY + 37;
    const obs = noisySine(11 * PER_DAY, 5, (i) => (i === spike ? 80 : 0));
    const z = createRobustZDetector({ bucketMinutes: Q }).scoreSeries(obs);
    const esd = new ShesdDetector({ bucketMinutes: Q }).scoreSeries(obs);
    const ens = new GenericEnsemble({ bucketMinutes: Q }).scoreSeries(obs);
    for (const [name, xs] of [
      ['z', z],
      ['S-H-ESD', esd],
      ['ensemble', ens],
    ] as const) {
      assert.equal(xs[spike]?.alarm, true, name);
      assert.equal(xs[spike]?.direction, 'up', name);
    }
    // the spike neither alarms the next bucket nor moves the baseline
    assert.equal(ens[spike + 1]?.alarm, false);
    const e = ens[spike] as EnsembleScore;
    assert.ok((e.components.robustZ?.pValue ?? 1) < 1e-4, `z p-value ${e.components.robustZ?.pValue}`);
  });

  it('a drop is reported as down', () => {
    const change = 16 * PER_DAY;
    const obs = noisySine(change + 20, 6, (i) => (i >= change ? -60 : 0));
    const scores = new GenericEnsemble({ bucketMinutes: Q }).scoreSeries(obs);
    const s = scores[change] as EnsembleScore;
    assert.equal(s.alarm, true);
    assert.equal(s.direction, 'down');
    assert.ok(s.observed < s.lower, 's.observed < s.lower');
    for (const x of scores) {
      if (!x) continue;
      assert.equal(x.evidencePValue, x.pValue);
      assert.equal(x.score, 1 - Math.min(1, 2 * x.pValue));
      assert.equal(x.alarm, 2 * x.pValue <= 1e-3, `bucket ${x.index}`);
    }
  });
});

describe('S-H-ESD', () => {
  it('critical values match the NIST handbook example (Rosner 1983, n = 54, α = 0.05: 3.158, 3.151, …, 3.085)', () => {
    for (const [i, lambda] of [
      [1, 3.158],
      [2, 3.151],
      [3, 3.143],
      [10, 3.085],
    ] as const) {
      const got = esdCritical(54 - i + 1, 0.05);
      assert.ok(Math.abs(got - lambda) < 1e-3, `λ${i}: ${got}`);
    }
  });

  it('the Grubbs p-value of the critical value is α/2 (so 2p ≤ α exactly when R > λ)', () => {
    for (const [m, alpha] of [
      [54, 0.05],
      [672, 1e-3],
      [30, 1e-2],
    ] as const) {
      const p = grubbsPValue(esdCritical(m, alpha), m);
      assert.ok(Math.abs(p - alpha / 2) < 1e-9 * alpha, `m=${m}: ${p}`);
    }
  });

  it('does not alarm at daily peaks and troughs of a seasonal series, and finds the spikes in it', () => {
    const spikes = new Set([8 * PER_DAY + 10, 8 * PER_DAY + 24, 9 * PER_DAY + 72]);
    const obs = noisySine(10 * PER_DAY, 3, (i) => (spikes.has(i) ? 80 : 0));
    const scores = new ShesdDetector({ bucketMinutes: Q }).scoreSeries(obs);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (spikes.has(i)) {
        assert.equal(s?.alarm, true, `spike ${i}`);
        assert.equal(s?.baseline, 'seasonal');
      } else assert.ok(!s?.alarm, `bucket ${i}`);
    }
  });
});

describe('generic detectors: gaps and replay', () => {
  it('missing values return null and change nothing', () => {
    const obs = noisySine(20 * PER_DAY, 7, (i) => (i >= 18 * PER_DAY ? 25 : 0));
    const rand = mulberry32(8);
    const holed = obs.map((o, i) =>
      (i >= 10 * PER_DAY && i < 10 * PER_DAY + 30) || rand() < 0.03
        ? { ...o, value: i % 2 ? null : Number.NaN }
        : o,
    );
    const kept = holed.filter((o) => o.value !== null && !Number.isNaN(o.value));
    const make = () => new GenericEnsemble({ bucketMinutes: Q });
    const a = make().scoreSeries(holed);
    const b = make().scoreSeries(kept);
    let j = 0;
    for (let i = 0; i < holed.length; i++) {
      const v = holed[i]?.value;
      if (v === null || Number.isNaN(v)) {
        assert.equal(a[i], null, `gap ${i}`);
        continue;
      }
      assert.deepEqual({ ...a[i], index: 0 }, { ...b[j], index: 0 }, `bucket ${i}`);
      j++;
    }
    assert.ok(
      a.slice(18 * PER_DAY).some((s) => s?.alarm),
      'a.slice(18 * PER_DAY).some((s) => s?.alarm)',
    );
  });

  it('replay: a bucket scores the same whether or not later buckets exist', () => {
    const obs = noisySine(17 * PER_DAY, 9, (i) => (i >= 16 * PER_DAY ? 20 : 0));
    const make = () => new GenericEnsemble({ bucketMinutes: Q });
    const full = make().scoreSeries(obs);
    for (const t of [200, 16 * PER_DAY, 16 * PER_DAY + 5]) {
      assert.deepEqual(make().scoreSeries(obs.slice(0, t + 1)), full.slice(0, t + 1), `t=${t}`);
    }
    for (const method of ['robust-z', 'ewma', 'cusum'] as const) {
      const all = new GenericDetector(method, { bucketMinutes: Q }).scoreSeries(obs);
      const t = 16 * PER_DAY + 3;
      assert.deepEqual(
        new GenericDetector(method, { bucketMinutes: Q }).scoreSeries(obs.slice(0, t + 1)),
        all.slice(0, t + 1),
      );
    }
  });

  it('drift charts start with the seasonal baseline; the z-score works from the trailing median', () => {
    const obs = noisySine(4 * PER_DAY, 10);
    const z = createRobustZDetector({ bucketMinutes: Q }).scoreSeries(obs);
    const c = createCusumDetector({ bucketMinutes: Q }).scoreSeries(obs);
    assert.equal(z[20]?.baseline, 'level');
    assert.equal(c[20], null);
    assert.equal(c[3 * PER_DAY + 5]?.baseline, 'seasonal');
    assert.throws(() =>
      createRobustZDetector({ bucketMinutes: Q }).scoreSeries([obs[1], obs[0]] as ValueObservation[]),
    );
  });
});
