import { benjaminiHochbergAmong } from '../detect';
import { familyOf, type Candidate, type ScanResult, type ScannedSeries } from './scan';

/** Benjamini–Hochberg per bucket across every series scored in that bucket (m includes the filtered ones). */
export function correctAcrossSeries(scan: ScanResult, q: number): Candidate[] {
  // One family per bucket for the visit cohorts, one per product dimension (see ScanResult.testedProducts).
  const families = new Map<string, { candidates: Candidate[]; m: number }>();
  for (const c of scan.candidates) {
    const series = scan.series[c.series] as ScannedSeries;
    const name = familyOf(series);
    const key = `${c.bucket}|${name}`;
    let family = families.get(key);
    if (!family) {
      const counts = name === 'visit' ? scan.tested : scan.testedProducts[name];
      const m = (counts?.[c.bucket] ?? 0) as number;
      families.set(key, (family = { candidates: [], m }));
    }
    family.candidates.push(c);
  }
  return [...families.values()].flatMap(({ candidates, m }) => benjaminiHochbergAmong(candidates, m, q));
}

/** Consecutive anomalous buckets of one series in one direction (gaps of up to `maxGap` buckets bridged). */
export interface Episode {
  series: ScannedSeries;
  direction: 'up' | 'down';
  first: number;
  last: number;
  minP: number;
  maxScore: number;
  /** Σ (expected − observed) in the series' own unit (conversions for ratios, counts for counts). */
  shortfall: number;
  /** Σ expected in the same unit: |shortfall| / expectedTotal is the episode's relative size. */
  expectedTotal: number;
  /** The bucket by which the episode is known (a confirmation may take longer than its first bucket). */
  knownAt?: number;
  /**
   * A symptom below the practical floor (three out_of_stock events where a week had none): too small to be
   * an incident, but the first sign of one it joins. It only joins a business metric's move that had begun,
   * never other symptoms, and is never an incident's primary.
   */
  minor?: boolean;
  /**
   * When the shift itself began and ended, as the detector's accumulated evidence dates it (onset ≤ first,
   * settled ≤ last): a rate in a small cohort alarms hours into a shift and stays in alarm hours after it.
   * The incident's window; `first` and `last` remain the buckets that were significant.
   */
  onset: number;
  settled: number;
}

/** How far before its first significant bucket an episode's onset may be dated. */
const MAX_ONSET_LEAD_MS = 6 * 3_600_000;
/** Significant buckets of one evidence run this close together are one episode, whatever lies between. */
const MAX_RUN_GAP_MS = 3_600_000;

export function episodes(
  series: ScannedSeries[],
  anomalies: Candidate[],
  maxGap = 2,
  bucketMs = 300_000,
): Episode[] {
  const maxLead = Math.round(MAX_ONSET_LEAD_MS / bucketMs);
  const maxRunGap = Math.round(MAX_RUN_GAP_MS / bucketMs);
  const bySeries = new Map<number, Candidate[]>();
  for (const a of anomalies) {
    let list = bySeries.get(a.series);
    if (!list) bySeries.set(a.series, (list = []));
    list.push(a);
  }
  const out: Episode[] = [];
  for (const [id, list] of bySeries) {
    list.sort((a, b) => a.bucket - b.bucket);
    let current: Episode | null = null;
    const close = (e: Episode) => out.push(settle(e));
    for (const a of list) {
      const expected = a.trials > 0 ? a.expected * a.trials : a.expected;
      const shortfall = expected - a.observed;
      const gap = current ? a.bucket - current.last : Infinity;
      // Within the gap, or later in the same evidence run (a rate whose alarm flickers as it lingers).
      const sameRun = current !== null && a.onset <= current.last && gap <= maxRunGap;
      if (current && current.direction === a.direction && (gap <= maxGap + 1 || sameRun)) {
        current.last = a.bucket;
        current.settled = Math.max(current.settled, Math.min(a.bucket, a.peak));
        current.minP = Math.min(current.minP, a.pValue);
        current.maxScore = Math.max(current.maxScore, a.score);
        current.shortfall += shortfall;
        current.expectedTotal += expected;
      } else {
        if (current) close(current);
        current = {
          series: series[id] as ScannedSeries,
          direction: a.direction,
          first: a.bucket,
          last: a.bucket,
          minP: a.pValue,
          maxScore: a.score,
          shortfall,
          expectedTotal: expected,
          onset: Math.max(a.bucket - maxLead, Math.min(a.bucket, a.onset)),
          settled: Math.min(a.bucket, Math.max(a.onset, a.peak)),
        };
      }
    }
    if (current) close(current);
  }
  return out;
}

/**
 * An evidence run that peaked before the episode's first significant bucket mixed an earlier shift with this
 * one (a browser's rates diluted by bots in the morning, then broken on Android in the afternoon, without the
 * CUSUM returning to zero in between): its dates say nothing of this episode, which keeps its significant span.
 */
function settle(e: Episode): Episode {
  return e.settled < e.first ? { ...e, onset: e.first, settled: e.last } : e;
}

/** Relative size of a traffic surge (observed / expected − 1) that dilutes the funnel rates of its cohort. */
const DILUTING_SURGE = 0.5;

const isSubset = (a: Record<string, string>, b: Record<string, string>) =>
  Object.entries(a).every(([d, v]) => b[d] === v);

/** Whether one cohort contains the other (all traffic contains every cohort). */
export function comparable(a: Record<string, string>, b: Record<string, string>): boolean {
  return isSubset(a, b) || isSubset(b, a);
}

/** Whether two cohorts can share visitors: no dimension on which they name different values. */
export function intersects(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([d, v]) => b[d] === undefined || b[d] === v);
}

/**
 * Groups episodes into incidents: same metric family and direction, starting within `slack` buckets of each other,
 * cohorts that can share visitors. One cause shows up in many cohorts at once (an e-mail send lifts its
 * campaign, the e-mail channel, every country and all traffic): they are one incident, and localisation then
 * says which cohort explains it.
 */
export function groupEpisodes(all: Episode[], slack = 6): { primary: Episode; members: Episode[] }[] {
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  // Sweep in order of start: only episodes that start before this one ends (plus slack) can overlap it.
  const order = all.map((_, i) => i).sort((a, b) => (all[a] as Episode).first - (all[b] as Episode).first);
  for (let x = 0; x < order.length; x++) {
    const i = order[x] as number;
    const a = all[i] as Episode;
    for (let y = x + 1; y < order.length; y++) {
      const j = order[y] as number;
      const b = all[j] as Episode;
      // One cause moves its cohorts together: episodes that start far apart are separate incidents even
      // when they overlap (a long bot burst and a cart regression that begins during it).
      if (b.first > a.first + slack) break;
      if (a.minor || b.minor) continue;
      if (a.series.metric.family !== b.series.metric.family || a.direction !== b.direction) continue;
      // Disjoint cohorts (several countries at once) are one incident only on the very same metric: a
      // common cause, which localisation then names (all traffic, or the set of cohorts that moved).
      const sameMetric = a.series.metric.metric === b.series.metric.metric;
      if (!sameMetric && !intersects(a.series.cohort.cohort, b.series.cohort.cohort)) continue;
      parent[find(i)] = find(j);
    }
  }
  // A surge of visits that do nothing (bots) lowers every funnel rate of its cohort for as long as it lasts:
  // the rates' episodes, which start with it or later as their evidence accumulates, belong to its incident.
  // So do the funnel rates of the categories its visitors looked at (a category's visits are not a visit
  // cohort: any surge that can share its visitors counts).
  all.forEach((rate, i) => {
    if (rate.series.metric.family !== 'funnel' || rate.direction !== 'down') return;
    const surge = all.findIndex(
      (t) =>
        t.series.metric.family === 'traffic' &&
        t.direction === 'up' &&
        t.expectedTotal > 0 &&
        -t.shortfall / t.expectedTotal >= DILUTING_SURGE &&
        // The rate's evidence may come hours into the surge, or after it: when its shift began counts too.
        [rate.first, rate.onset].some((b) => b >= t.first - 2 * slack && b <= t.last + 1) &&
        (rate.series.product === true
          ? intersects(t.series.cohort.cohort, rate.series.cohort.cohort)
          : comparable(t.series.cohort.cohort, rate.series.cohort.cohort)),
    );
    if (surge >= 0) parent[find(i)] = find(surge);
  });
  // Errors and payment failures that begin to rise while a business metric of a cohort they share visitors
  // with is moving are that incident's symptoms (a broken payment step raises payment failures in all traffic;
  // a country cut off raises errors): its evidence, not incidents of their own. Of several such moves, the
  // symptom belongs to the one whose shift began closest to it.
  all.forEach((symptom, i) => {
    if (symptom.series.metric.family !== 'backend' || symptom.direction !== 'up') return;
    let host = -1;
    let distance = Infinity;
    all.forEach((e, j) => {
      if (e.series.metric.family === 'backend') return;
      if (!intersects(e.series.cohort.cohort, symptom.series.cohort.cohort)) return;
      // Between when the move began (less the slack; a minor symptom not before it) and when it settled or was
      // first significant.
      if (symptom.first < e.onset - (symptom.minor ? 0 : slack)) return;
      if (symptom.first > Math.max(e.settled, e.first) + slack) return;
      const d = Math.abs(symptom.onset - e.onset);
      if (d < distance) [host, distance] = [j, d];
    });
    if (host >= 0) parent[find(i)] = find(host);
  });
  const groups = new Map<number, Episode[]>();
  all.forEach((e, i) => {
    const root = find(i);
    let list = groups.get(root);
    if (!list) groups.set(root, (list = []));
    list.push(e);
  });
  return [...groups.values()].map((members) => ({ primary: mostSpecificCarrier(members), members }));
}

/**
 * The group's primary episode: of the metric with the strongest evidence, the cohort with the largest shortfall
 * (the broadest one holding the whole change; localisation then narrows it down).
 */
function mostSpecificCarrier(members: Episode[]): Episode {
  const strength = (e: Episode) => Math.abs(e.shortfall);
  // A surge that diluted the funnel rates is the cause; the rates are its consequence. Errors and payment
  // failures that came with a business metric's move are its symptoms.
  const major = members.filter((e) => !e.minor);
  const business = major.filter((e) => e.series.metric.family !== 'backend');
  const pool = business.length > 0 ? business : major.length > 0 ? major : members;
  const surges = pool.filter((e) => e.series.metric.family === 'traffic' && e.direction === 'up');
  const candidates = surges.length > 0 && surges.length < pool.length ? surges : pool;
  const strongest = [...candidates].sort((a, b) => a.minP - b.minP)[0] as Episode;
  const sameMetric = candidates.filter((e) => e.series.metric.metric === strongest.series.metric.metric);
  return sameMetric.sort(
    (a, b) => strength(b) - strength(a) || b.series.level - a.series.level,
  )[0] as Episode;
}
