import crypto from 'node:crypto';
import type { Incident } from '../../shared/incidents';
import { BUILT_IN_METRICS, type MetricDefinition } from '../../shared/metrics';
import { createRatioDetector, type Sensitivity } from '../detect';
import type { Db } from '../store/workspace';
import { sensitivityWeight } from './scan';

const EFFECTIVE_TRIALS = 2000;

/** The baseline rate at the start of each incident found, for attributing a total's incident to a campaign. */
const expectedRates = new WeakMap<Incident, number>();

/** Consecutive alarmed rows of a series (bridging this many quiet rows) form one incident. */
const MAX_GAP_ROWS = 2;

interface Row {
  bucket: number;
  num: number;
  den: number;
}

/**
 * The rates of imported pre-aggregated tables (e-mail bounce, open, click and unsubscribe rates) per table
 * total and per campaign. Such tables are sparse (a row per send hour), so each series is the rows it has, in
 * time order, gaps skipped rather than zero. A campaign's own history is short; the table total carries the
 * history, and an alarm is reported on the campaign whose own series alarms with it, else on the total.
 */
export function detectMetricTableIncidents(
  db: Db,
  options: {
    sensitivity: Sensitivity;
    metricSensitivity?: Record<string, Sensitivity>;
    q: number;
    from?: number;
    to?: number;
  },
): Incident[] {
  const measureNames = new Map(
    (
      db
        .prepare(
          'SELECT DISTINCT m.measure_id, d.value FROM cube_measures m JOIN dim_values d ON d.id = m.measure_id',
        )
        .raw()
        .all() as [number, string][]
    ).map(([id, name]) => [name, id]),
  );
  const names = new Map(
    (db.prepare('SELECT id, value FROM dim_values').raw().all() as [number, string][]).map(([id, v]) => [
      id,
      v,
    ]),
  );
  const metrics = BUILT_IN_METRICS.filter(
    (m) =>
      m.kind === 'ratio' &&
      m.family !== 'funnel' &&
      measureNames.has(m.numerator) &&
      measureNames.has(m.denominator ?? ''),
  );
  const incidents: Incident[] = [];
  const seriesOf = db.prepare(
    `SELECT n.value AS cohort, n.bucket, n.amount AS num, d.amount AS den FROM cube_measures n
     JOIN cube_measures d ON d.measure_id = ? AND d.dim = n.dim AND d.value = n.value AND d.bucket = n.bucket
     WHERE n.measure_id = ? AND n.dim = ? ORDER BY n.value, n.bucket`,
  );
  for (const metric of metrics) {
    const sensitivity = options.metricSensitivity?.[metric.name] ?? options.sensitivity;
    const metricOptions = {
      ...options,
      sensitivity,
      q: options.q * sensitivityWeight(sensitivity, options.sensitivity),
    };
    const num = measureNames.get(metric.numerator) as number;
    const den = measureNames.get(metric.denominator as string) as number;
    const campaigns = new Map<string, Row[]>();
    for (const dim of ['campaign', '']) {
      const byCohort = new Map<number, Row[]>();
      for (const r of seriesOf.all(den, num, dim) as {
        cohort: number;
        bucket: number;
        num: number;
        den: number;
      }[]) {
        let list = byCohort.get(r.cohort);
        if (!list) byCohort.set(r.cohort, (list = []));
        list.push(r);
      }
      for (const [cohortId, rows] of byCohort) {
        const cohort = dim === '' ? {} : { [dim]: names.get(cohortId) ?? String(cohortId) };
        if (dim === 'campaign') campaigns.set(cohort.campaign as string, rows);
        const found = scanRows(metric, cohort, rows, metricOptions);
        if (dim === '') for (const incident of found) attributeToCampaign(incident, campaigns);
        incidents.push(...found);
      }
    }
  }
  // A campaign's incident explains the total's at the same time: keep the more specific one.
  return incidents.filter(
    (i) =>
      Object.keys(i.cohort).length > 0 ||
      !incidents.some(
        (o) =>
          o !== i &&
          o.metric === i.metric &&
          Object.keys(o.cohort).length > 0 &&
          o.start < i.end &&
          o.end > i.start,
      ),
  );
}

function scanRows(
  metric: MetricDefinition,
  cohort: Record<string, string>,
  rows: Row[],
  options: { sensitivity: Sensitivity; q: number; from?: number; to?: number },
): Incident[] {
  // Send-level tables have tens of thousands of trials per row and rates that drift between sends far more
  // than binomial noise: each row counts as at most EFFECTIVE_TRIALS trials, so only a change of the
  // rate itself (a bounce spike), not the size of the list, makes evidence.
  const detector = createRatioDetector({
    sensitivity: options.sensitivity,
    warmupBuckets: 5,
    model: 'binomial',
  });
  const out: Incident[] = [];
  let run: {
    first: number;
    last: number;
    lastRow: number;
    minP: number;
    excess: number;
    expected: number;
    rate: number;
  } | null = null;
  const close = (bucketMs: number) => {
    if (!run) return;
    if (Math.abs(run.excess) >= 3 && Math.abs(run.excess) >= MIN_RELATIVE_CHANGE * run.expected) {
      const incident = toIncident(metric, cohort, run, bucketMs);
      expectedRates.set(incident, run.rate);
      out.push(incident);
    }
    run = null;
  };
  const bucketMs =
    rows.length > 1 ? Math.max(60_000, (rows[1] as Row).bucket - (rows[0] as Row).bucket) : 3_600_000;
  rows.forEach((row, index) => {
    const scale = row.den > EFFECTIVE_TRIALS ? EFFECTIVE_TRIALS / row.den : 1;
    const score = detector.push({ time: row.bucket, successes: row.num * scale, trials: row.den * scale });
    if (!score) return;
    if (options.from !== undefined && row.bucket < options.from) return;
    if (options.to !== undefined && row.bucket > options.to) return;
    const bad = metric.badDirection === 'both' || score.direction === metric.badDirection;
    if (score.evidencePValue <= options.q && bad) {
      if (run && index - run.lastRow > MAX_GAP_ROWS + 1) close(bucketMs);
      if (!run)
        run = {
          first: row.bucket,
          last: row.bucket,
          lastRow: index,
          minP: score.evidencePValue,
          excess: 0,
          expected: 0,
          rate: score.expected,
        };
      run.last = row.bucket;
      run.lastRow = index;
      run.minP = Math.min(run.minP, score.evidencePValue);
      run.excess += row.num - score.expected * row.den;
      run.expected += score.expected * row.den;
    } else if (run && index - run.lastRow > MAX_GAP_ROWS) close(bucketMs);
  });
  close(bucketMs);
  return out;
}

function toIncident(
  metric: MetricDefinition,
  cohort: Record<string, string>,
  run: { first: number; last: number; minP: number; excess: number; expected: number },
  bucketMs: number,
): Incident {
  const start = new Date(run.first).toISOString();
  const size = run.expected > 0 ? Math.abs(run.excess) / run.expected : 1;
  const key = `${metric.name}|${JSON.stringify(cohort)}|${start}`;
  return {
    id: `inc-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 10)}`,
    metric: metric.name,
    direction: run.excess > 0 ? 'up' : 'down',
    start,
    end: new Date(run.last + bucketMs).toISOString(),
    detectedAt: new Date(run.first + bucketMs).toISOString(),
    severity: size >= 1 ? 'high' : size >= 0.3 ? 'medium' : 'low',
    score: Math.round((1 - run.minP) * 1e6) / 1e6,
    cohort,
    expected: false,
    impact: { lostConversions: 0, revenueAtRisk: 0 },
    // Localisation works on visit-dimension leaves; a table's rows carry only their campaign.
    attribution: [],
  };
}

/**
 * A table-total incident is reported on the campaign that carries most of its excess (the campaign's rows in
 * the window against the total's expected rate), when one carries at least half of it.
 */
function attributeToCampaign(incident: Incident, campaigns: Map<string, Row[]>): void {
  const from = Date.parse(incident.start);
  const to = Date.parse(incident.end);
  const rate = expectedRates.get(incident);
  if (rate === undefined) return;
  const excess = [...campaigns].map(([campaign, rows]) => ({
    campaign,
    excess: rows
      .filter((r) => r.bucket >= from && r.bucket < to)
      .reduce((sum, r) => sum + (r.num - rate * r.den), 0),
  }));
  const sign = incident.direction === 'up' ? 1 : -1;
  const total = excess.reduce((sum, e) => sum + Math.max(0, sign * e.excess), 0);
  const top = excess.sort((a, b) => sign * b.excess - sign * a.excess)[0];
  if (!top || total <= 0) return;
  const share = Math.max(0, sign * top.excess) / total;
  if (share < 0.5) return;
  incident.cohort = { campaign: top.campaign };
  incident.attribution = [
    { cohort: { campaign: top.campaign }, share: Math.round(share * 1000) / 1000, score: incident.score },
  ];
  // Opens and clicks come hours after a send is delivered: in a send's first hours its open and click rates
  // are low by nature, which pulls the table's rate down. That is the send, not an incident.
  const sendStart = campaigns.get(top.campaign)?.[0]?.bucket;
  if (
    incident.direction === 'down' &&
    LAGGING_RATES.has(incident.metric) &&
    sendStart !== undefined &&
    from - sendStart < SEND_LAG_MS
  )
    incident.expected = true;
}

/**
 * Campaigns differ by up to half in their bounce or open rates by nature (lists, subject lines): a rate moved by
 * less than this share of its expected value is not an incident, however certain.
 */
const MIN_RELATIVE_CHANGE = 0.5;

/** E-mail rates whose numerator trails delivery (an open, a click), and for how long after a send starts. */
const LAGGING_RATES = new Set(['open_rate', 'click_rate']);
const SEND_LAG_MS = 3 * 3_600_000;
