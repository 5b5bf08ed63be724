import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FunnelCounts } from '../../workers/detect/isolation-forest';
import {
  IsolationForest,
  OnlineIsolationForest,
  averagePathLength,
  funnelVector,
} from '../../workers/detect/isolation-forest';
import { EmpiricalTail } from '../../workers/detect/tail-calibration';
import { mulberry32 } from './support/random';

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

describe('average path length c(n) (Liu, Ting & Zhou 2008)', () => {
  it('c(n) = 2(ln(n − 1) + γ) − 2(n − 1)/n, c(2) = 1, c(1) = c(0) = 0', () => {
    assert.equal(averagePathLength(0), 0);
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    // n = 3: 2(ln 2 + 0.5772156649015329) − 4/3 = 2 · 1.2703628454614782 − 1.3333333333333333
    close(averagePathLength(3), 1.207392357589623);
    // n = 256: 2(ln 255 + γ) − 510/256 = 2 · 6.118479210059959 − 1.9921875
    close(averagePathLength(256), 10.24477092011992);
  });
});

describe('Isolation Forest on known shapes', () => {
  const rand = mulberry32(21);
  const clusters = Array.from({ length: 500 }, (_, i) =>
    i % 2 === 0 ? [gauss(rand), gauss(rand)] : [6 + gauss(rand), 6 + gauss(rand)],
  );

  it('two Gaussian clusters: inliers score about 0.5 or below, a far outlier above 0.7', () => {
    for (const outOfRange of ['insertion', 'standard'] as const) {
      const forest = IsolationForest.fit(clusters, { outOfRange });
      const inliers = clusters.map((x) => forest.score(x));
      assert.ok(mean(inliers) < 0.5, `${outOfRange}: inlier mean ${mean(inliers)}`);
      assert.ok(forest.score([20, -20]) > 0.7, `${outOfRange}: outlier ${forest.score([20, -20])}`);
      assert.ok(forest.score([0, 0]) < 0.5, `${outOfRange}: cluster centre ${forest.score([0, 0])}`);
    }
  });

  it('a sample without anomalies scores about 0.5 on average (E[h] ≈ c(ψ))', () => {
    const uniform = mulberry32(2);
    const data = Array.from({ length: 2000 }, () => [uniform()]);
    const forest = IsolationForest.fit(data);
    const m = mean(data.map((x) => forest.score(x)));
    assert.ok(m > 0.45 && m < 0.55, `mean ${m}`);
  });

  it('beyond the training range the standard score saturates; insertion keeps growing', () => {
    const uniform = mulberry32(2);
    const data = Array.from({ length: 256 }, () => [uniform()]);
    const standard = IsolationForest.fit(data, { outOfRange: 'standard' });
    assert.equal(standard.score([1.1]), standard.score([11]));
    const insertion = IsolationForest.fit(data);
    assert.ok(insertion.score([11]) > insertion.score([1.1]) + 0.05);
    assert.ok(insertion.score([1.1]) > standard.score([1.1]));
    // Inside the training range nothing changes.
    assert.equal(insertion.score(data[7] as number[]), standard.score(data[7] as number[]));
  });

  it('is deterministic for a seed', () => {
    const a = IsolationForest.fit(clusters, { seed: 5 });
    const b = IsolationForest.fit(clusters, { seed: 5 });
    const c = IsolationForest.fit(clusters, { seed: 6 });
    const probe = [3, 3];
    assert.equal(a.score(probe), b.score(probe));
    assert.notEqual(a.score(probe), c.score(probe));
    assert.ok(Math.abs(a.score(probe) - c.score(probe)) < 0.05);
  });

  it('refuses fewer than 2 vectors or vectors of different lengths', () => {
    assert.throws(() => IsolationForest.fit([[1]]), RangeError);
    assert.throws(() => IsolationForest.fit([[1, 2], [3]]), RangeError);
  });
});

describe('tail calibration', () => {
  const reference = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100

  it('inside the reference: the empirical tail rank (1 + #{≥ s}) / (n + 1)', () => {
    const tail = new EmpiricalTail(reference);
    assert.equal(tail.pValue(50.5), 51 / 101);
    assert.equal(tail.pValue(0), 1);
    assert.equal(tail.pValue(80), 22 / 101);
  });

  it('beyond the top 10: an exponential tail, below 1/(n + 1) and decreasing', () => {
    const tail = new EmpiricalTail(reference);
    // u = 90 (the 11th largest), β = mean(91 … 100) − 90 = 5.5: p(95) = 10/101 · e^{−5/5.5}
    close(tail.pValue(95), (10 / 101) * Math.exp(-5 / 5.5));
    assert.ok(tail.pValue(120) < 1 / 101);
    assert.ok(tail.pValue(200) < tail.pValue(120));
  });

  it('a reference of 10 or fewer has no tail model', () => {
    const tail = new EmpiricalTail([1, 2, 3]);
    assert.equal(tail.pValue(1000), 1 / 4);
  });
});

describe('funnel vectors', () => {
  const bucket: FunnelCounts = {
    sessions: 1000,
    page_views: 4000,
    sessions_with_add_to_cart: 100,
    sessions_with_checkout: 50,
    sessions_with_purchase: 30,
  };

  it('are log-ratios of consecutive steps: views/session, carts/view, checkouts/cart, purchases/checkout', () => {
    const v = funnelVector(bucket) as number[];
    close(v[0] as number, Math.log(4000.5 / 1000.5));
    close(v[1] as number, Math.log(100.5 / 4000.5));
    close(v[2] as number, Math.log(50.5 / 100.5));
    close(v[3] as number, Math.log(30.5 / 50.5));
  });

  it('do not move when traffic rises uniformly, and move on two features for bots', () => {
    const base = funnelVector(bucket) as number[];
    const scaled = funnelVector({
      sessions: 1500,
      page_views: 6000,
      sessions_with_add_to_cart: 150,
      sessions_with_checkout: 75,
      sessions_with_purchase: 45,
    }) as number[];
    scaled.forEach((x, i) => assert.ok(Math.abs(x - (base[i] as number)) < 0.01));
    const bots = funnelVector({ ...bucket, page_views: 12000 }) as number[];
    close(bots[0] as number, (base[0] as number) + Math.log(3), 1e-3);
    close(bots[1] as number, (base[1] as number) - Math.log(3), 1e-3);
  });

  it('are null for an empty or unreadable bucket', () => {
    assert.equal(funnelVector({ ...bucket, sessions: 0 }), null);
    assert.equal(funnelVector({ ...bucket, page_views: Number.NaN }), null);
  });
});

/** Hourly funnel buckets of a store: a daily wave of 1500 ± 900 sessions, 4 views each, stable rates. */
function funnelHistory(
  buckets: number,
  seed: number,
  change: (b: number, c: FunnelCounts) => FunnelCounts = (_, c) => c,
) {
  const rand = mulberry32(seed);
  const poisson = (l: number) => Math.max(0, Math.round(l + Math.sqrt(l) * gauss(rand)));
  const binomial = (n: number, p: number) =>
    Math.max(0, Math.min(n, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gauss(rand))));
  return Array.from({ length: buckets }, (_, b) => {
    const sessions = poisson(1500 * (1 + 0.6 * Math.sin((2 * Math.PI * b) / 24)));
    const carts = binomial(sessions, 0.1);
    const checkouts = binomial(carts, 0.5);
    return funnelVector(
      change(b, {
        sessions,
        page_views: poisson(4 * sessions),
        sessions_with_add_to_cart: carts,
        sessions_with_checkout: checkouts,
        sessions_with_purchase: binomial(checkouts, 0.6),
      }),
    );
  });
}

describe('online Isolation Forest over a funnel-vector history', () => {
  const BOTS = [1200, 1206];
  const UNIFORM = [1300, 1306];
  const within = (b: number, [from, to]: number[]) => b >= (from as number) && b < (to as number);
  const vectors = funnelHistory(1400, 3, (b, c) => {
    if (within(b, BOTS)) return { ...c, page_views: 3 * c.page_views };
    if (within(b, UNIFORM)) {
      const x = (n: number) => Math.round(1.5 * n);
      return {
        sessions: x(c.sessions),
        page_views: x(c.page_views),
        sessions_with_add_to_cart: x(c.sessions_with_add_to_cart),
        sessions_with_checkout: x(c.sessions_with_checkout),
        sessions_with_purchase: x(c.sessions_with_purchase),
      };
    }
    return c;
  });
  const scores = new OnlineIsolationForest().scoreSeries(vectors);

  it('has no score before 512 vectors of history, then one for every vector', () => {
    assert.ok(scores.slice(0, 512).every((s) => s === null));
    assert.ok(scores.slice(512).every((s) => s !== null));
  });

  it('flags bot traffic (views per session × 3, later rates flat) at medium sensitivity', () => {
    for (let b = BOTS[0] as number; b < (BOTS[1] as number); b++) {
      const s = scores[b];
      assert.ok(s?.alarm, `bucket ${b}: isolation ${s?.isolation}, p ${s?.pValue}`);
      assert.ok((s?.isolation ?? 0) > 0.7);
    }
  });

  it('does not flag a uniform traffic increase (every step × 1.5, rates unchanged)', () => {
    for (let b = UNIFORM[0] as number; b < (UNIFORM[1] as number); b++) {
      const s = scores[b];
      assert.ok(s && !s.alarm && s.pValue > 0.05, `bucket ${b}: p ${s?.pValue}`);
    }
  });

  it('ordinary buckets get about calibrated p-values', () => {
    const ordinary = scores
      .map((s, b) => (within(b, BOTS) || within(b, UNIFORM) ? null : s))
      .filter((s) => s !== null);
    const share = (alpha: number) => ordinary.filter((s) => s.pValue <= alpha).length / ordinary.length;
    assert.ok(share(0.01) <= 0.025, `p ≤ 0.01 for ${share(0.01)}`);
    assert.ok(share(0.1) > 0.05 && share(0.1) < 0.15, `p ≤ 0.1 for ${share(0.1)}`);
    assert.ok(share(0.5) > 0.4 && share(0.5) < 0.6, `p ≤ 0.5 for ${share(0.5)}`);
    assert.ok(ordinary.every((s) => s.score >= 0 && s.score <= 1 && s.score === 1 - s.pValue));
  });

  it('online: a prefix scores as the first buckets of the whole series', () => {
    const prefix = new OnlineIsolationForest().scoreSeries(vectors.slice(0, 700));
    assert.deepEqual(prefix, scores.slice(0, 700));
  });

  it('missing vectors score null and are not learnt', () => {
    const gappy = vectors.slice(0, 700);
    gappy.splice(600, 0, null, [Number.NaN, 0, 0, 0]);
    const withGaps = new OnlineIsolationForest().scoreSeries(gappy);
    assert.equal(withGaps[600], null);
    assert.equal(withGaps[601], null);
    const shifted = withGaps.filter((_, i) => i !== 600 && i !== 601).map((s) => s && { ...s, index: 0 });
    assert.deepEqual(
      shifted,
      scores.slice(0, 700).map((s) => s && { ...s, index: 0 }),
    );
  });
});
