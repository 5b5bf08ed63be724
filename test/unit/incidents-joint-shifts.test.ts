import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_DIMENSIONS } from '../../shared/events';
import { EVENT_MEASURES } from '../../shared/metrics';
import type { Incident } from '../../shared/incidents';
import { FALSE_ALARM_RATE } from '../../workers/detect';
import { jointShiftIncidents, type JointShiftOptions } from '../../workers/incidents/joint-shifts';
import type { CubeTable } from '../../workers/metrics/rollup';
import { mulberry32 } from './support/random';

const BUCKET_MS = 300_000;
const PER_DAY = 288;
const START = Date.UTC(2026, 9, 5);
/** Dictionary ids of the cube's dimension values. */
const NAMES = new Map([
  [1, 'desktop'],
  [2, 'mobile'],
  [3, '(none)'],
]);

function poisson(rand: () => number, mean: number): number {
  // Normal approximation: the means here are ≥ 20.
  const u = Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * u));
}

function binomial(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

interface Bots {
  device: 1 | 2;
  from: number;
  to: number;
  sessionsPerBucket: number;
  viewsPerSession: number;
}

interface CartShift {
  device: 1 | 2;
  from: number;
  to: number;
  rate: number;
}

/**
 * Days of 5-minute buckets of a store with two devices (every other dimension one value): sessions with a
 * daily cycle, ~3 views a visit, add-to-cart 30 %, checkout 50 % of carts, purchase 60 % of checkouts.
 * Optional bots: extra sessions on one device that view many pages and never add to a cart.
 */
function store(days: number, seed: number, bots?: Bots, carts?: CartShift): CubeTable {
  const rand = mulberry32(seed);
  const length = days * PER_DAY;
  const rows = length * 2;
  const table: CubeTable = {
    bucketMs: BUCKET_MS,
    start: START,
    length,
    present: new Uint8Array(length).fill(1),
    rows,
    bucketIndex: new Int32Array(rows),
    dims: Object.fromEntries(SESSION_DIMENSIONS.map((d) => [d, new Int32Array(rows)])),
    measures: Object.fromEntries(EVENT_MEASURES.map((m) => [m, new Float64Array(rows)])),
  };
  const m = table.measures as Record<string, Float64Array>;
  for (let b = 0; b < length; b++) {
    const cycle = 1 + 0.5 * Math.sin((2 * Math.PI * (b % PER_DAY)) / PER_DAY);
    for (const device of [1, 2] as const) {
      const r = b * 2 + device - 1;
      table.bucketIndex[r] = b;
      (table.dims.device as Int32Array)[r] = device;
      let sessions = poisson(rand, 60 * cycle);
      let views = poisson(rand, 3 * sessions);
      const shifted = carts && carts.device === device && b >= carts.from && b < carts.to;
      const cartSessions = binomial(rand, sessions, shifted ? carts.rate : 0.3);
      const checkouts = binomial(rand, cartSessions, 0.5);
      const purchases = binomial(rand, checkouts, 0.6);
      if (bots && bots.device === device && b >= bots.from && b < bots.to) {
        sessions += bots.sessionsPerBucket;
        views += bots.sessionsPerBucket * bots.viewsPerSession;
      }
      m.sessions![r] = sessions;
      m.page_views![r] = views;
      m.sessions_with_add_to_cart![r] = cartSessions;
      m.sessions_with_checkout![r] = checkouts;
      m.sessions_with_purchase![r] = purchases;
      m.orders![r] = purchases;
      m.revenue![r] = purchases * 80;
    }
  }
  return table;
}

function options(overrides: Partial<JointShiftOptions> = {}): JointShiftOptions {
  return {
    sensitivity: 'medium',
    q: FALSE_ALARM_RATE.medium,
    minEffect: (step) => (step.family === 'traffic' ? 30 : 3),
    raised: [],
    annotations: [],
    dailyRevenue: 100_000,
    ...overrides,
  };
}

const BOTS: Bots = {
  device: 2,
  from: 5 * PER_DAY + 100,
  to: 5 * PER_DAY + 136,
  sessionsPerBucket: 12,
  viewsPerSession: 12,
};

describe('joint shifts (Isolation Forest over cohort funnel vectors)', () => {
  it('raises nothing over a week of an ordinary store', () => {
    for (const seed of [1, 2, 3]) {
      const found = jointShiftIncidents(store(7, seed), NAMES, options());
      assert.deepEqual(
        found.map((f) => [f.incident.metric, f.incident.cohort, f.incident.start]),
        [],
        `seed ${seed}`,
      );
    }
  });

  it('reports bots on one device as page views up on that device, from the bucket they arrive', () => {
    const found = jointShiftIncidents(store(7, 1, BOTS), NAMES, options());
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.incident)));
    const { incident, size } = found[0]!;
    assert.equal(incident.metric, 'page_views');
    assert.equal(incident.direction, 'up');
    assert.deepEqual(incident.cohort, { device: 'mobile' });
    // Begins where the bots arrived; known within the hour (each bucket alone is weak evidence).
    const arrived = START + BOTS.from * BUCKET_MS;
    assert.ok(Math.abs(Date.parse(incident.start) - arrived) <= 2 * BUCKET_MS, incident.start);
    const detected = Date.parse(incident.detectedAt);
    assert.ok(detected > arrived && detected <= arrived + 12 * BUCKET_MS, incident.detectedAt);
    assert.ok(Date.parse(incident.end) <= START + (BOTS.to + 4) * BUCKET_MS, incident.end);
    // 12 bots × 12 views against ~250 views expected per bucket at that hour: at most +55 % page views.
    assert.ok(size > 0.25 && size < 0.6, String(size));
    assert.equal(incident.impact.lostConversions, 0);
  });

  it('says nothing of a shift that an incident of a cohort sharing its visitors already reports', () => {
    const raised: Incident = {
      id: 'inc-x',
      metric: 'sessions',
      direction: 'up',
      start: new Date(START + (BOTS.from + 1) * BUCKET_MS).toISOString(),
      end: new Date(START + BOTS.to * BUCKET_MS).toISOString(),
      detectedAt: new Date(START + (BOTS.from + 2) * BUCKET_MS).toISOString(),
      severity: 'medium',
      score: 1,
      cohort: {},
      expected: false,
      impact: { lostConversions: 0, revenueAtRisk: 0 },
      attribution: [],
    };
    assert.deepEqual(jointShiftIncidents(store(7, 1, BOTS), NAMES, options({ raised: [raised] })), []);
    // An incident on the other device is another matter.
    const elsewhere = { ...raised, cohort: { device: 'desktop' } };
    assert.equal(jointShiftIncidents(store(7, 1, BOTS), NAMES, options({ raised: [elsewhere] })).length, 1);
  });

  it('reports a fall of add-to-cart on its step, and not a rise', () => {
    const shift = { device: 1 as const, from: 5 * PER_DAY + 100, to: 5 * PER_DAY + 136 };
    const fall = jointShiftIncidents(store(7, 2, undefined, { ...shift, rate: 0.15 }), NAMES, options());
    assert.deepEqual(
      fall.map((f) => [f.incident.metric, f.incident.direction, f.incident.cohort]),
      [['add_to_cart_rate', 'down', { device: 'desktop' }]],
    );
    assert.ok(fall[0]!.incident.impact.lostConversions > 0);
    assert.deepEqual(
      jointShiftIncidents(store(7, 2, undefined, { ...shift, rate: 0.45 }), NAMES, options()),
      [],
    );
  });

  it('needs two days of history before it scores anything', () => {
    const early = { ...BOTS, from: PER_DAY + 100, to: PER_DAY + 136 };
    assert.deepEqual(jointShiftIncidents(store(3, 1, early), NAMES, options()), []);
  });
});
