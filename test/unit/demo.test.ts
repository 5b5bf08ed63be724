import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { GroundTruth, GroundTruthIncident } from '../../workers/demo/generate';
import {
  ANNOTATIONS_HEADER,
  CLICKSTREAM_HEADER,
  COLUMN_DIMENSIONS,
  EMAIL_HEADER,
  generateDemoData,
} from '../../workers/demo/generate';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const HEADER =
  'event_time,event_name,user_id,session_id,email,device,os,browser,country,utm_source,utm_campaign,' +
  'product_id,category,brand,price,quantity,revenue,latency_ms';

interface Row {
  t: number;
  f: string[];
}

interface Data {
  dir: string;
  truth: GroundTruth;
  header: string;
  rows: Row[];
  sessions: Map<string, Row[]>;
  email: string[][];
  emailHeader: string;
  annotations: string[][];
  annotationsHeader: string;
}

const col = (name: string): number => {
  const i = HEADER.split(',').indexOf(name);
  assert.ok(i >= 0, name);
  return i;
};
const C = {
  time: col('event_time'),
  event: col('event_name'),
  user: col('user_id'),
  session: col('session_id'),
  email: col('email'),
  device: col('device'),
  os: col('os'),
  browser: col('browser'),
  country: col('country'),
  source: col('utm_source'),
  campaign: col('utm_campaign'),
  product: col('product_id'),
  category: col('category'),
  brand: col('brand'),
  price: col('price'),
  quantity: col('quantity'),
  revenue: col('revenue'),
  latency: col('latency_ms'),
};

/** Canonical cohort dimension → CSV column index. */
const DIMENSION_COLUMN = new Map<string, number>(
  Object.entries(COLUMN_DIMENSIONS).map(([column, dimension]) => [dimension, col(column)]),
);

const temp: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'funnelscope-demo-'));
  temp.push(dir);
  return dir;
}

function csvLines(text: string): string[] {
  assert.ok(text.endsWith('\n'), 'files end with a newline');
  return text.slice(0, -1).split('\n');
}

function load(dir: string, truth: GroundTruth): Data {
  const lines = csvLines(gunzipSync(readFileSync(path.join(dir, 'clickstream.csv.gz'))).toString('utf8'));
  const rows: Row[] = [];
  const sessions = new Map<string, Row[]>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const row = { t: Date.parse(f[C.time] ?? ''), f };
    rows.push(row);
    const id = f[C.session] ?? '';
    const list = sessions.get(id);
    if (list) list.push(row);
    else sessions.set(id, [row]);
  }
  const email = csvLines(readFileSync(path.join(dir, 'email_campaigns.csv'), 'utf8'));
  const annotations = csvLines(readFileSync(path.join(dir, 'annotations.csv'), 'utf8'));
  return {
    dir,
    truth,
    header: lines[0] ?? '',
    rows,
    sessions,
    email: email.slice(1).map((l) => l.split(',')),
    emailHeader: email[0] ?? '',
    annotations: annotations.slice(1).map((l) => l.split(',')),
    annotationsHeader: annotations[0] ?? '',
  };
}

function incident(truth: GroundTruth, kind: GroundTruthIncident['kind']): GroundTruthIncident {
  const found = truth.incidents.find((i) => i.kind === kind);
  assert.ok(found, `an incident of kind ${kind}`);
  return found;
}

function inCohort(row: Row, cohort: Record<string, string>): boolean {
  return matcher(cohort)(row);
}

const matchers = new Map<string, (row: Row) => boolean>();
function matcher(cohort: Record<string, string>): (row: Row) => boolean {
  const key = JSON.stringify(cohort);
  let match = matchers.get(key);
  if (!match) {
    const pairs = Object.entries(cohort).map(([dimension, value]) => {
      const column = DIMENSION_COLUMN.get(dimension);
      assert.ok(column !== undefined, `cohort dimension ${dimension} is a CSV column`);
      return [column, value] as const;
    });
    match = (row) => pairs.every(([column, value]) => row.f[column] === value);
    matchers.set(key, match);
  }
  return match;
}

const has = (rows: Row[], event: string) => rows.some((r) => r.f[C.event] === event);
const count = (rows: Row[], event: string) => rows.filter((r) => r.f[C.event] === event).length;

/** Relative change of a ratio between the window and the same hours one week earlier. */
function weekOverWeek(measure: (from: number, to: number) => number, i: GroundTruthIncident): number {
  const now = measure(i.start, i.end);
  const before = measure(i.start - WEEK, i.end - WEEK);
  assert.ok(before > 0, 'the previous week has a baseline');
  return now / before - 1;
}

let big: Data;
let small: { a: string; b: string; c: string; truthA: GroundTruth; truthB: GroundTruth };
const progress: [number, number][] = [];

before(async () => {
  // Volume enough to measure a -60 % checkout conversion in one cohort over five hours (about 30 checkouts).
  const dir = tempDir();
  const truth = await generateDemoData({ dir, days: 14, sessionsPerDay: 8000, seed: 42 });
  big = load(dir, truth);
  const a = tempDir();
  const b = tempDir();
  const c = tempDir();
  const options = { days: 14, sessionsPerDay: 300, seed: 7 };
  const truthA = await generateDemoData({ ...options, dir: a, onProgress: (d, t) => progress.push([d, t]) });
  const truthB = await generateDemoData({ ...options, dir: b });
  await generateDemoData({ ...options, dir: c, seed: 8 });
  small = { a, b, c, truthA, truthB };
});

after(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('demo data: files', () => {
  it('is byte-identical for the same seed', () => {
    for (const file of small.truthA.files) {
      const a = readFileSync(path.join(small.a, file));
      const b = readFileSync(path.join(small.b, file));
      assert.ok(a.equals(b), `${file} is identical`);
    }
    assert.deepEqual(small.truthA, small.truthB);
  });

  it('differs for a different seed', () => {
    for (const file of ['clickstream.csv.gz', 'email_campaigns.csv']) {
      const a = readFileSync(path.join(small.a, file));
      const c = readFileSync(path.join(small.c, file));
      assert.ok(!a.equals(c), `${file} differs`);
    }
  });

  it('writes the exact headers', () => {
    assert.equal(big.header, HEADER);
    assert.equal(CLICKSTREAM_HEADER, HEADER);
    assert.equal(big.emailHeader, 'hour,campaign,sent,delivered,bounced,opens,clicks,unsubscribes');
    assert.equal(EMAIL_HEADER, big.emailHeader);
    assert.equal(big.annotationsHeader, 'start,end,kind,label,cohort');
    assert.equal(ANNOTATIONS_HEADER, big.annotationsHeader);
    assert.deepEqual(big.truth.files, ['clickstream.csv.gz', 'email_campaigns.csv', 'annotations.csv']);
  });

  it('writes plain, well-formed clickstream rows sorted by time', () => {
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const events = new Set([
      'page_view',
      'view_item',
      'add_to_cart',
      'begin_checkout',
      'purchase',
      'payment_failed',
      'error',
      // A custom event type (outside the canonical vocabulary), as real exports carry them.
      'out_of_stock',
    ]);
    const allowed: [number, Set<string>][] = [
      [C.device, new Set(['desktop', 'mobile', 'tablet'])],
      [C.os, new Set(['Windows', 'macOS', 'iOS', 'Android', 'Linux'])],
      [C.browser, new Set(['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet'])],
      [C.source, new Set(['google', 'facebook', 'instagram', 'email', 'direct', 'tiktok'])],
      [C.category, new Set(['', 'apparel', 'shoes', 'accessories', 'beauty', 'home'])],
    ];
    let previous = -Infinity;
    let withEmail = 0;
    const brandCategories = new Map<string, Set<string>>();
    for (const { t, f } of big.rows) {
      assert.equal(f.length, 18, f.join(','));
      assert.ok(!f.some((v) => v.includes('"')));
      assert.match(f[C.time] ?? '', iso);
      assert.equal(new Date(t).toISOString(), f[C.time]);
      assert.ok(t >= previous, 'sorted by time');
      previous = t;
      assert.ok(t >= big.truth.start && t < big.truth.end, 'inside the period');
      const event = f[C.event] ?? '';
      assert.ok(events.has(event), event);
      assert.match(f[C.user] ?? '', /^u_\d{6,}$/);
      assert.match(f[C.session] ?? '', /^s_\d{7,}$/);
      if (f[C.email]) {
        withEmail++;
        assert.match(f[C.email] ?? '', /^[a-z]+[._][a-z]+\d+@example\.(com|org|net)$/);
      }
      for (const [i, values] of allowed) assert.ok(values.has(f[i] ?? ''), `${f[i]} in column ${i}`);
      assert.equal(f[C.source] === 'direct', f[C.campaign] === '', 'campaign empty exactly for direct');
      const priced = event === 'view_item' || event === 'add_to_cart' || event === 'purchase';
      assert.equal(f[C.price] !== '', priced, `price on ${event}`);
      assert.equal(f[C.quantity] !== '', event === 'purchase');
      assert.equal(f[C.revenue] !== '', event === 'purchase');
      assert.equal(f[C.latency] !== '', event === 'begin_checkout' || event === 'purchase');
      if (priced) assert.match(f[C.product] ?? '', /^sku-\d{4}$/);
      // A product's row carries its brand, one of three of its category; a row without a product, none.
      assert.equal(f[C.brand] !== '', f[C.product] !== '', `brand on ${event}`);
      if (f[C.brand]) {
        let categories = brandCategories.get(f[C.brand] as string);
        if (!categories) brandCategories.set(f[C.brand] as string, (categories = new Set()));
        categories.add(f[C.category] as string);
      }
    }
    assert.equal(brandCategories.size, 15, [...brandCategories.keys()].join(', '));
    for (const [brand, categories] of brandCategories) assert.equal(categories.size, 1, brand);
    const share = withEmail / big.rows.length;
    assert.ok(share > 0.03 && share < 0.5, `e-mail on a share of rows (${share})`);
  });

  it('keeps sessions to 1–12 events within about 30 minutes', () => {
    for (const rows of big.sessions.values()) {
      assert.ok(rows.length >= 1 && rows.length <= 12, `${rows.length} events`);
      const span = (rows.at(-1)?.t ?? 0) - (rows[0]?.t ?? 0);
      assert.ok(span <= 35 * 60_000, `session lasts ${span} ms`);
    }
  });

  it('reports totals that match the file', () => {
    const purchases = big.rows.filter((r) => r.f[C.event] === 'purchase');
    const revenue = purchases.reduce((sum, r) => sum + Math.round(Number(r.f[C.revenue]) * 100), 0) / 100;
    assert.deepEqual(big.truth.totals, {
      sessions: big.sessions.size,
      events: big.rows.length,
      purchases: purchases.length,
      revenue,
    });
  });

  it('reports progress once per simulated hour', () => {
    assert.equal(progress.length, 14 * 24);
    assert.deepEqual(progress.at(-1), [14 * 24, 14 * 24]);
  });

  it('refuses a period too short for its incidents and a start off the hour', async () => {
    await assert.rejects(generateDemoData({ dir: tempDir(), days: 3 }), RangeError);
    await assert.rejects(
      generateDemoData({ dir: tempDir(), start: Date.UTC(2026, 9, 5, 0, 30) }),
      RangeError,
    );
  });
});

describe('demo data: a realistic store', () => {
  it('converts 2–4 % of sessions with an AOV of 60–90, desktop better than mobile', () => {
    const sessions = [...big.sessions.values()];
    const conversion = sessions.filter((rows) => has(rows, 'purchase')).length / sessions.length;
    assert.ok(conversion > 0.02 && conversion < 0.04, `conversion ${conversion}`);
    const aov = big.truth.totals.revenue / big.truth.totals.purchases;
    assert.ok(aov > 60 && aov < 90, `AOV ${aov}`);
    const rate = (device: string) => {
      const of = sessions.filter((rows) => rows[0]?.f[C.device] === device);
      return of.filter((rows) => has(rows, 'purchase')).length / of.length;
    };
    assert.ok(rate('desktop') > rate('mobile') * 1.3);
  });

  it('has a night trough and an evening peak, and realistic OS/browser pairs', () => {
    const byHour = new Array<number>(24).fill(0);
    let iosSafari = 0;
    let ios = 0;
    let mobileDesktopOs = 0;
    for (const rows of big.sessions.values()) {
      const first = rows[0];
      if (!first) continue;
      const hour = new Date(first.t).getUTCHours();
      byHour[hour] = (byHour[hour] ?? 0) + 1;
      if (first.f[C.os] === 'iOS') {
        ios++;
        if (first.f[C.browser] === 'Safari') iosSafari++;
      }
      if (first.f[C.device] === 'mobile' && !['iOS', 'Android'].includes(first.f[C.os] ?? ''))
        mobileDesktopOs++;
    }
    assert.ok(Math.max(...byHour) > 2 * Math.min(...byHour));
    assert.ok(iosSafari / ios > 0.75);
    assert.equal(mobileDesktopOs, 0);
  });

  it('sends 3–4 campaigns with realistic rates', () => {
    const totals = new Map<string, number[]>();
    for (const f of big.email) {
      assert.equal(f.length, 8);
      assert.match(f[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
      const [sent, delivered, bounced, opens, clicks, unsubscribes] = f.slice(2).map(Number) as number[];
      assert.equal((sent ?? 0) - (bounced ?? 0), delivered);
      const sum = totals.get(f[1] ?? '') ?? [0, 0, 0, 0, 0, 0];
      [sent, delivered, bounced, opens, clicks, unsubscribes].forEach(
        (v, i) => (sum[i] = (sum[i] ?? 0) + (v ?? 0)),
      );
      totals.set(f[1] ?? '', sum);
    }
    assert.ok(totals.size >= 3 && totals.size <= 4, `${totals.size} campaigns`);
    const spiked = incident(big.truth, 'email_bounce_spike').cohort.campaign;
    for (const [name, [sent = 0, delivered = 0, bounced = 0, opens = 0, clicks = 0]] of totals) {
      if (name !== spiked) assert.ok(bounced / sent >= 0.01 && bounced / sent <= 0.03, `${name} bounce`);
      assert.ok(opens / delivered >= 0.2 && opens / delivered <= 0.4, `${name} opens ${opens / delivered}`);
      assert.ok(clicks / delivered >= 0.02 && clicks / delivered <= 0.05, `${name} clicks`);
    }
  });
});

describe('demo data: ground truth', () => {
  it('puts at least five non-overlapping incidents in the second half of the period', () => {
    const { truth } = big;
    assert.equal(truth.end, truth.start + 14 * DAY);
    assert.ok(truth.incidents.length >= 5);
    const sorted = [...truth.incidents].sort((a, b) => a.start - b.start);
    const half = truth.start + 7 * DAY;
    sorted.forEach((i, k) => {
      assert.ok(i.start >= half && i.end <= truth.end && i.start < i.end, i.id);
      if (k > 0) assert.ok((sorted[k - 1]?.end ?? 0) <= i.start, `${i.id} does not overlap`);
      assert.equal(Math.sign(i.magnitude), i.direction === 'up' ? 1 : -1, `${i.id} magnitude sign`);
      assert.ok(i.evidence.length > 0);
    });
    assert.equal(new Set(truth.incidents.map((i) => i.id)).size, truth.incidents.length);
  });

  it('names annotations and decoys that exist in annotations.csv', () => {
    const labels = new Map(big.annotations.map((f) => [f[3] ?? '', f]));
    for (const f of big.annotations) {
      assert.equal(f.length, 5);
      assert.ok(['deploy', 'promo', 'campaign', 'config'].includes(f[2] ?? ''));
    }
    const payment = incident(big.truth, 'payment_failure');
    const release = labels.get(payment.annotation ?? '');
    assert.ok(release && release[2] === 'deploy' && release[3]?.startsWith('web-512'));
    assert.equal(payment.start - Date.parse(release[0] ?? ''), 7 * 60_000, 'starts 7 minutes after web-512');
    assert.ok(big.truth.decoys.length >= 1);
    for (const decoy of big.truth.decoys) {
      const annotation = labels.get(decoy.label);
      assert.ok(annotation, decoy.label);
      assert.equal(Date.parse(annotation[0] ?? ''), decoy.at);
      const next = big.truth.incidents.find((i) => i.start > decoy.at && i.start - decoy.at <= 6 * 3_600_000);
      assert.ok(
        next && next.annotation !== decoy.label,
        `${decoy.label} precedes an incident it did not cause`,
      );
    }
    for (const expected of big.truth.expected) assert.ok(labels.has(expected.label), expected.label);
  });

  it('payment failure: iOS Safari checkout conversion falls by about the stated magnitude', () => {
    const i = incident(big.truth, 'payment_failure');
    assert.deepEqual(i.cohort, { os: 'iOS', browser: 'Safari' });
    const checkouts = (from: number, to: number) =>
      [...big.sessions.values()].filter((rows) =>
        rows.some(
          (r) => r.f[C.event] === 'begin_checkout' && r.t >= from && r.t < to && inCohort(r, i.cohort),
        ),
      );
    const conversion = (from: number, to: number) => {
      const sessions = checkouts(from, to);
      return sessions.filter((rows) => has(rows, 'purchase')).length / sessions.length;
    };
    const change = weekOverWeek(conversion, i);
    assert.ok(Math.abs(change - i.magnitude) < 0.3, `checkout conversion changed ${change} (${i.magnitude})`);
    // Other cohorts are untouched.
    const others = (from: number, to: number) => {
      const sessions = [...big.sessions.values()].filter((rows) =>
        rows.some(
          (r) => r.f[C.event] === 'begin_checkout' && r.t >= from && r.t < to && !inCohort(r, i.cohort),
        ),
      );
      return sessions.filter((rows) => has(rows, 'purchase')).length / sessions.length;
    };
    assert.ok(Math.abs(weekOverWeek(others, i)) < 0.3);
    // Evidence: payment failures and checkout latency rise in the cohort.
    const failures = (from: number, to: number) =>
      checkouts(from, to).reduce((sum, rows) => sum + count(rows, 'payment_failed'), 0);
    assert.ok(failures(i.start, i.end) > 4 * Math.max(1, failures(i.start - WEEK, i.end - WEEK)));
    const latency = (from: number, to: number) => {
      const values = big.rows
        .filter((r) => r.f[C.event] === 'begin_checkout' && r.t >= from && r.t < to && inCohort(r, i.cohort))
        .map((r) => Number(r.f[C.latency]))
        .sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)] ?? 0;
    };
    assert.ok(latency(i.start, i.end) > 2 * latency(i.start - WEEK, i.end - WEEK));
  });

  it('regional traffic loss: DE sessions fall by about 80 %, with errors', () => {
    const i = incident(big.truth, 'regional_traffic_loss');
    assert.deepEqual(i.cohort, { country: 'DE' });
    assert.equal(i.annotation, undefined);
    const started = (from: number, to: number) =>
      [...big.sessions.values()].filter((rows) => {
        const first = rows[0];
        return first !== undefined && first.t >= from && first.t < to && inCohort(first, i.cohort);
      });
    const change = weekOverWeek((from, to) => started(from, to).length, i);
    assert.ok(Math.abs(change - i.magnitude) < 0.15, `DE sessions changed ${change} (${i.magnitude})`);
    const errors = (from: number, to: number) =>
      started(from, to).reduce((sum, rows) => sum + count(rows, 'error'), 0);
    assert.ok(errors(i.start, i.end) > 5 * Math.max(1, errors(i.start - WEEK, i.end - WEEK)));
  });

  it('checkout UX regression: Android add-to-cart rate falls after its release', () => {
    const i = incident(big.truth, 'checkout_ux_regression');
    assert.equal(i.metric, 'add_to_cart_rate');
    assert.ok(i.annotation);
    const rate = (from: number, to: number) => {
      const viewed = [...big.sessions.values()].filter((rows) => {
        const views = rows.filter((r) => r.f[C.event] === 'view_item');
        const last = views.at(-1);
        return last !== undefined && last.t >= from && last.t < to && inCohort(last, i.cohort);
      });
      return viewed.filter((rows) => has(rows, 'add_to_cart')).length / viewed.length;
    };
    const change = weekOverWeek(rate, i);
    assert.ok(
      Math.abs(change - i.magnitude) < 0.25,
      `Android add-to-cart changed ${change} (${i.magnitude})`,
    );
  });

  it('out of stock: add-to-cart of shoes collapses', () => {
    const i = incident(big.truth, 'out_of_stock');
    const rate = (from: number, to: number) => {
      const inWindow = big.rows.filter((r) => r.t >= from && r.t < to && inCohort(r, i.cohort));
      return count(inWindow, 'add_to_cart') / count(inWindow, 'view_item');
    };
    const change = weekOverWeek(rate, i);
    assert.ok(Math.abs(change - i.magnitude) < 0.15, `shoes add-to-cart changed ${change} (${i.magnitude})`);
  });

  it('bot traffic: a burst of sessions from one cohort that never adds to cart', () => {
    const i = incident(big.truth, 'bot_traffic');
    const started = (from: number, to: number) =>
      [...big.sessions.values()].filter((rows) => {
        const first = rows[0];
        return first !== undefined && first.t >= from && first.t < to && inCohort(first, i.cohort);
      });
    const burst = started(i.start, i.end);
    const baseline = Math.max(1, started(i.start - WEEK, i.end - WEEK).length);
    assert.ok(burst.length / baseline - 1 > i.magnitude / 3, `${burst.length} vs ${baseline} sessions`);
    const carts = burst.filter((rows) => has(rows, 'add_to_cart')).length;
    assert.ok(carts / burst.length < 0.02);
    const browseOnly = burst.filter((rows) =>
      rows.every((r) => r.f[C.event] === 'page_view' || r.f[C.event] === 'view_item'),
    );
    assert.ok(browseOnly.length / burst.length > 0.95, 'page views and product views only');
  });

  it('e-mail bounce spike: the campaign bounces several times more during the window', () => {
    const i = incident(big.truth, 'email_bounce_spike');
    const rows = big.email.filter((f) => f[1] === i.cohort.campaign && Number(f[2]) > 0);
    const rate = (inside: boolean) => {
      const of = rows.filter((f) => {
        const t = Date.parse(f[0] ?? '');
        return (t >= i.start && t < i.end) === inside;
      });
      return of.reduce((s, f) => s + Number(f[4]), 0) / of.reduce((s, f) => s + Number(f[2]), 0);
    };
    const change = rate(true) / rate(false) - 1;
    assert.ok(Math.abs(change / i.magnitude - 1) < 0.35, `bounce rate changed ${change} (${i.magnitude})`);
  });

  it('promo: more sessions and higher conversion for its cohort, and not an incident', () => {
    const promo = big.truth.expected.find((e) => e.kind === 'promo' && e.metric === 'sessions');
    assert.ok(promo);
    const sessions = (from: number, to: number) =>
      [...big.sessions.values()].filter((rows) => {
        const first = rows[0];
        return first !== undefined && first.t >= from && first.t < to && inCohort(first, promo.cohort);
      });
    const during = sessions(promo.start, promo.end);
    const before = sessions(promo.start - WEEK, promo.end - WEEK);
    assert.ok(during.length > 2 * before.length, `${during.length} vs ${before.length} sessions`);
    const conversion = (list: Row[][]) => list.filter((rows) => has(rows, 'purchase')).length / list.length;
    assert.ok(conversion(during) > conversion(before));
    for (const i of big.truth.incidents) assert.ok(i.end <= promo.start || i.start >= promo.end, i.id);
  });
});
