// Evidence quality on simulated stores (issue 4): for each seed, a 14-day demo store at 20,000 sessions a
// day, detection at medium sensitivity, then attribution.explain on the incident matching each injected one.
// Per injected incident found: is the injected cohort the first attribution, is the injected deploy (when
// the ground truth names one) the top annotation, where does it rank among all evidence lines, and are the
// event types the ground truth says moved among the top metric lines. Prints a table; asserts nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi } from '../../main/api';
import type { EvidenceLine } from '../../shared/attribution';
import { EnginePool } from '../../workers/pool/pool';
import { scoreDetection, type TruthIncident } from './support/score-detection';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const DAYS = Number(process.env.BENCH_DAYS ?? 14);
const SESSIONS_PER_DAY = Number(process.env.BENCH_SESSIONS_PER_DAY ?? 20_000);
/** Ground-truth event types → the evidence metric that shows them. */
const EVENT_METRIC: Record<string, string> = {
  payment_failed: 'payment_failures',
  latency_ms: 'latency',
  error: 'errors',
  add_to_cart: 'add_to_cart_rate',
  page_view: 'page_views',
  revenue: 'orders',
  out_of_stock: 'out_of_stock',
};

type Truth = TruthIncident & { annotation?: string; evidence?: string[] };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-attribute-bench-'));
const pool = new EnginePool();
const secret = crypto.randomBytes(32);
const api = createApi({ pool, secrets: { secretFor: async () => secret } });
const sameCohort = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([d, v]) => b[d] === v);
const cohortText = (c: Record<string, string>) =>
  Object.keys(c).length === 0
    ? 'all'
    : Object.keys(c)
        .sort()
        .map((d) => `${d}=${c[d]}`)
        .join('&');
const yesNo = (x: boolean | null) => (x === null ? '—' : x ? 'yes' : 'no');

console.log(`Evidence quality: seeds ${SEEDS.join(', ')}, ${DAYS} days, ${SESSIONS_PER_DAY} sessions/day\n`);
console.log(
  '| seed | injected | found as | first attribution | cohort right | injected annotation | top annotation | its rank | moved metrics in top 3 metric lines | first line |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
const totals = {
  truth: 0,
  found: 0,
  cohortRight: 0,
  firstAttribution: 0,
  withAnnotation: 0,
  annotationTop: 0,
  decoysFirst: 0,
  metricsHit: 0,
  metricsWanted: 0,
};
try {
  for (const seed of SEEDS) {
    const workspace = path.join(dir, `seed-${seed}.fscope`);
    const demo = await api.workspace.createDemo(workspace, {
      days: DAYS,
      seed,
      sessionsPerDay: SESSIONS_PER_DAY,
    });
    const run = await api.detection.run(workspace, { sensitivity: 'medium' });
    const truth = JSON.parse(fs.readFileSync(demo.groundTruthFile, 'utf8'));
    const score = scoreDetection(run.incidents, truth.incidents, truth.expected);
    for (const row of score.rows) {
      const t = row.truth as Truth;
      totals.truth++;
      if (!row.match) {
        console.log(
          `| ${seed} | ${t.kind} ${cohortText(t.cohort)} | MISSED | | | ${t.annotation ?? '—'} | | | | |`,
        );
        continue;
      }
      totals.found++;
      const started = Date.now();
      const e = await api.attribution.explain(workspace, row.match.id);
      const ms = Date.now() - started;
      const first = e.localization[0]?.cohort ?? null;
      const cohortRight = first ? sameCohort(first, t.cohort) : sameCohort(e.incident.cohort, t.cohort);
      if (cohortRight) totals.cohortRight++;
      if (first && sameCohort(first, t.cohort)) totals.firstAttribution++;
      const annotations = e.evidence.filter(
        (l): l is Extract<EvidenceLine, { kind: 'annotation' }> => l.kind === 'annotation',
      );
      const top = annotations[0]?.details.label ?? null;
      let annotationRight: boolean | null = null;
      let rank = '';
      if (t.annotation) {
        totals.withAnnotation++;
        annotationRight = top === t.annotation;
        if (annotationRight) totals.annotationTop++;
        const at = e.evidence.findIndex((l) => l.kind === 'annotation' && l.details.label === t.annotation);
        rank = at < 0 ? 'absent' : `${at + 1} of ${e.evidence.length}`;
      } else if (e.evidence[0]?.kind === 'annotation') totals.decoysFirst++;
      const wanted = (t.evidence ?? []).map((x) => EVENT_METRIC[x]).filter((m): m is string => Boolean(m));
      const topMetrics = e.evidence
        .filter((l) => l.kind === 'metric')
        .slice(0, 3)
        .map((l) => (l.details as { metric: string }).metric);
      const hits = wanted.filter((m) => topMetrics.includes(m));
      totals.metricsWanted += wanted.length;
      totals.metricsHit += hits.length;
      const firstLine = e.evidence[0] ? `${e.evidence[0].kind} ${e.evidence[0].score.toFixed(2)}` : 'none';
      console.log(
        `| ${seed} | ${t.kind} ${cohortText(t.cohort)} | ${row.match.metric} ${cohortText(row.match.cohort)} | ${first ? cohortText(first) : '(none)'} | ${yesNo(cohortRight)} | ${t.annotation ?? '—'} | ${top ?? '(none)'} ${t.annotation ? `(${yesNo(annotationRight)})` : ''} | ${rank} | ${wanted.length ? `${hits.length}/${wanted.length} (${topMetrics.join(', ')})` : '—'} | ${firstLine} (${ms} ms) |`,
      );
    }
    await api.workspace.close(workspace);
    fs.rmSync(workspace, { force: true });
  }
} finally {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nInjected incidents found: ${totals.found}/${totals.truth}; injected cohort first attribution: ${totals.firstAttribution}/${totals.found} ` +
    `(${totals.cohortRight}/${totals.found} counting the incident's own cohort when its attribution list is empty); ` +
    `injected annotation the top annotation: ${totals.annotationTop}/${totals.withAnnotation} found with one; ` +
    `incidents without a causing annotation whose first line is an annotation (a decoy ranked first): ${totals.decoysFirst}; ` +
    `moved event types among the top 3 metric lines: ${totals.metricsHit}/${totals.metricsWanted}`,
);
