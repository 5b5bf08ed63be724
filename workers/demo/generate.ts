/**
 * `funnelscope demo`: a simulated D2C store written as ordinary export files (a gzipped GA4-like clickstream,
 * an hourly e-mail campaign table and an annotations file), plus the ground truth of what was injected, so
 * detection and attribution can be measured against it. Deterministic from the seed.
 *
 * Cohorts in the ground truth and in annotations.csv use the canonical dimension names of the workspace
 * (`channel` for utm_source, `campaign` for utm_campaign, see COLUMN_DIMENSIONS). Metrics:
 * - `sessions`: distinct sessions (by the time of their first event);
 * - `add_to_cart_rate`: sessions with add_to_cart / sessions with view_item (for a category cohort, where
 *   the category is per event: add_to_cart events / view_item events of that category);
 * - `checkout_conversion`: sessions with purchase / sessions with begin_checkout (one checkout per session);
 * - `conversion_rate`: sessions with purchase / sessions;
 * - `email_bounce_rate`: bounced / sent of email_campaigns.csv.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ClickstreamSimulator } from './clickstream';
import { emailCsv, simulateEmail } from './email';
import { CHANNELS, DAY, DEVICE_BY_CHANNEL, buildCatalog } from './model';
import { deriveSeed, Random } from './random';
import type { Annotation, Scenario } from './scenario';
import { planScenario } from './scenario';

export { CLICKSTREAM_HEADER, COLUMN_DIMENSIONS } from './clickstream';
export { EMAIL_HEADER } from './email';

export const ANNOTATIONS_HEADER = 'start,end,kind,label,cohort';
export const DEMO_FILES = {
  clickstream: 'clickstream.csv.gz',
  email: 'email_campaigns.csv',
  annotations: 'annotations.csv',
} as const;

export interface DemoOptions {
  dir: string;
  /** Length of the period in days (at least 7); default 14. */
  days?: number;
  /** Default 42. */
  seed?: number;
  /** Epoch ms UTC of the first day, on a whole hour; default Date.UTC(2026, 9, 5) (a Monday). */
  start?: number;
  /** Average organic sessions per day; default 20,000 (enough volume for the smaller cohorts to be watched). */
  sessionsPerDay?: number;
  /** Called once per simulated hour. */
  onProgress?: (done: number, total: number) => void;
}

export type IncidentKind =
  | 'payment_failure'
  | 'checkout_ux_regression'
  | 'regional_traffic_loss'
  | 'promo_code_failure'
  | 'out_of_stock'
  | 'bot_traffic'
  | 'email_bounce_spike';

export interface GroundTruthIncident {
  id: string;
  kind: IncidentKind;
  metric: string;
  direction: 'down' | 'up';
  cohort: Record<string, string>;
  start: number;
  end: number;
  /** Relative change of the metric in the cohort, e.g. -0.6. */
  magnitude: number;
  /** Label of the annotation that caused it, if any. */
  annotation?: string;
  /** Event types / measures that move with it, e.g. ['payment_failed']. */
  evidence: string[];
}

export interface GroundTruth {
  seed: number;
  days: number;
  start: number;
  end: number;
  files: string[];
  incidents: GroundTruthIncident[];
  expected: {
    label: string;
    kind: 'promo' | 'campaign';
    start: number;
    end: number;
    cohort: Record<string, string>;
    metric: string;
  }[];
  decoys: { label: string; at: number; why: string }[];
  totals: { sessions: number; events: number; purchases: number; revenue: number };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function annotationsCsv(annotations: readonly Annotation[]): string {
  const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
  const lines = annotations.map((a) => [iso(a.start), iso(a.end), a.kind, a.label, a.cohort].join(','));
  return [ANNOTATIONS_HEADER, ...lines].join('\n') + '\n';
}

function incidentsOf(scenario: Scenario, sim: ClickstreamSimulator): GroundTruthIncident[] {
  const { payment, androidCart, regionalLoss, bounce, bots, outOfStock, campaigns } = scenario;
  const botBaseline =
    sim.expectedSessions(bots.start, bots.end) *
    CHANNELS.share('tiktok') *
    DEVICE_BY_CHANNEL.tiktok.share('desktop');
  const botSessions = (bots.perHour * (bots.end - bots.start)) / 3_600_000;
  const baseBounce = campaigns.find((c) => c.name === bounce.campaign)?.bounceRate ?? 0.017;
  const incidents: Omit<GroundTruthIncident, 'id'>[] = [
    {
      kind: 'payment_failure',
      metric: 'checkout_conversion',
      direction: 'down',
      cohort: { os: 'iOS', browser: 'Safari' },
      start: payment.start,
      end: payment.end,
      magnitude: -payment.blockShare,
      annotation: payment.label,
      evidence: ['payment_failed', 'latency_ms'],
    },
    {
      kind: 'checkout_ux_regression',
      metric: 'add_to_cart_rate',
      direction: 'down',
      cohort: { os: 'Android' },
      start: androidCart.start,
      end: androidCart.end,
      magnitude: -androidCart.failShare,
      annotation: androidCart.label,
      evidence: ['error'],
    },
    {
      kind: 'regional_traffic_loss',
      metric: 'sessions',
      direction: 'down',
      cohort: { country: regionalLoss.country },
      start: regionalLoss.start,
      end: regionalLoss.end,
      magnitude: -round2(1 - regionalLoss.keepShare),
      evidence: ['error'],
    },
    {
      kind: 'email_bounce_spike',
      metric: 'email_bounce_rate',
      direction: 'up',
      cohort: { campaign: bounce.campaign },
      start: bounce.start,
      end: bounce.end,
      magnitude: round2(bounce.rate / baseBounce - 1),
      evidence: ['bounced'],
    },
    {
      kind: 'bot_traffic',
      metric: 'sessions',
      direction: 'up',
      cohort: { channel: 'tiktok', device: 'desktop' },
      start: bots.start,
      end: bots.end,
      magnitude: round2(botSessions / Math.max(botBaseline, 1e-9)),
      evidence: ['page_view', 'view_item'],
    },
    {
      kind: 'out_of_stock',
      metric: 'add_to_cart_rate',
      direction: 'down',
      cohort: { category: outOfStock.category },
      start: outOfStock.start,
      end: outOfStock.end,
      magnitude: -outOfStock.failShare,
      evidence: ['add_to_cart', 'revenue', 'out_of_stock'],
    },
  ];
  return incidents
    .sort((a, b) => a.start - b.start)
    .map((incident, i) => ({ id: `gt-${String(i + 1).padStart(2, '0')}-${incident.kind}`, ...incident }));
}

function expectedOf(scenario: Scenario): GroundTruth['expected'] {
  const { promo, campaigns, end } = scenario;
  const cohort = { campaign: promo.campaign };
  const window = { label: promo.label, kind: 'promo' as const, start: promo.start, end: promo.end, cohort };
  return [
    { ...window, metric: 'sessions' },
    { ...window, metric: 'conversion_rate' },
    ...campaigns.map((c) => ({
      label: `${c.name} send`,
      kind: 'campaign' as const,
      start: c.sendStart,
      end: Math.min(end, c.sendStart + DAY),
      cohort: { channel: 'email', campaign: c.name },
      metric: 'sessions',
    })),
  ];
}

/** Writes the demo export files into `options.dir` and returns the ground truth. */
export async function generateDemoData(options: DemoOptions): Promise<GroundTruth> {
  const days = options.days ?? 14;
  const seed = options.seed ?? 42;
  const start = options.start ?? Date.UTC(2026, 9, 5);
  const sessionsPerDay = options.sessionsPerDay ?? 20_000;
  if (!Number.isInteger(days) || days < 7) throw new RangeError('demo days must be an integer of at least 7');
  if (!(sessionsPerDay > 0)) throw new RangeError('demo sessionsPerDay must be positive');
  if (!Number.isFinite(start) || start % 3_600_000 !== 0)
    throw new RangeError('demo start must be an epoch time in ms on a whole UTC hour');

  const scenario = planScenario(new Random(deriveSeed(seed, 1)), start, days, sessionsPerDay);
  const emailRows = simulateEmail(new Random(deriveSeed(seed, 2)), scenario);
  const clicks = new Map<number, { campaign: string; clicks: number }[]>();
  for (const row of emailRows) {
    if (row.clicks === 0) continue;
    const list = clicks.get(row.hour) ?? [];
    list.push({ campaign: row.campaign, clicks: row.clicks });
    clicks.set(row.hour, list);
  }
  const sim = new ClickstreamSimulator(new Random(deriveSeed(seed, 3)), scenario, buildCatalog(), clicks);

  mkdirSync(options.dir, { recursive: true });
  writeFileSync(path.join(options.dir, DEMO_FILES.email), emailCsv(emailRows));
  writeFileSync(path.join(options.dir, DEMO_FILES.annotations), annotationsCsv(scenario.annotations));

  const total = sim.hours;
  function* chunks(): Generator<Buffer> {
    for (let h = 0; h < total; h++) {
      const text = sim.hour(h);
      options.onProgress?.(h + 1, total);
      if (text.length > 0) yield Buffer.from(text);
    }
  }
  await pipeline(
    Readable.from(chunks()),
    createGzip({ level: 6 }),
    createWriteStream(path.join(options.dir, DEMO_FILES.clickstream)),
  );

  const { sessions, events, purchases, revenueCents } = sim.totals;
  return {
    seed,
    days,
    start,
    end: scenario.end,
    files: [DEMO_FILES.clickstream, DEMO_FILES.email, DEMO_FILES.annotations],
    incidents: incidentsOf(scenario, sim),
    expected: expectedOf(scenario),
    decoys: scenario.decoys,
    totals: { sessions, events, purchases, revenue: revenueCents / 100 },
  };
}
