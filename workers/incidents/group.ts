import type { Candidate, ScanResult, ScannedSeries } from './scan';

/** Benjamini–Hochberg per bucket across every series scored in that bucket (m includes the filtered ones). */
export function correctAcrossSeries(scan: ScanResult, q: number): Candidate[] {
  const byBucket = new Map<number, Candidate[]>();
  for (const c of scan.candidates) {
    let list = byBucket.get(c.bucket);
    if (!list) byBucket.set(c.bucket, (list = []));
    list.push(c);
  }
  const kept: Candidate[] = [];
  for (const [bucket, list] of byBucket) {
    const m = scan.tested[bucket] as number;
    list.sort((a, b) => a.pValue - b.pValue);
    let cut = -1;
    list.forEach((c, i) => {
      if (c.pValue <= ((i + 1) * q) / m) cut = i;
    });
    for (let i = 0; i <= cut; i++) kept.push(list[i] as Candidate);
  }
  return kept;
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
}

export function episodes(series: ScannedSeries[], anomalies: Candidate[], maxGap = 2): Episode[] {
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
    for (const a of list) {
      const shortfall = a.trials > 0 ? a.expected * a.trials - a.observed : a.expected - a.observed;
      if (current && current.direction === a.direction && a.bucket - current.last <= maxGap + 1) {
        current.last = a.bucket;
        current.minP = Math.min(current.minP, a.pValue);
        current.maxScore = Math.max(current.maxScore, a.score);
        current.shortfall += shortfall;
      } else {
        if (current) out.push(current);
        current = {
          series: series[id] as ScannedSeries,
          direction: a.direction,
          first: a.bucket,
          last: a.bucket,
          minP: a.pValue,
          maxScore: a.score,
          shortfall,
        };
      }
    }
    if (current) out.push(current);
  }
  return out;
}

const isSubset = (a: Record<string, string>, b: Record<string, string>) =>
  Object.entries(a).every(([d, v]) => b[d] === v);

/** Whether one cohort contains the other (all traffic contains every cohort). */
export function comparable(a: Record<string, string>, b: Record<string, string>): boolean {
  return isSubset(a, b) || isSubset(b, a);
}

/**
 * Groups episodes into incidents: same metric family and direction, overlapping in time (with `slack` buckets),
 * cohorts that contain one another. Each group becomes one incident reported on its most specific cohort that
 * still carries most of the change (so "os=iOS&browser=Safari", not every ancestor of it).
 */
export function groupEpisodes(all: Episode[], slack = 4): { primary: Episode; members: Episode[] }[] {
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i] as Episode;
      const b = all[j] as Episode;
      if (a.series.metric.family !== b.series.metric.family || a.direction !== b.direction) continue;
      if (a.first > b.last + slack || b.first > a.last + slack) continue;
      if (!comparable(a.series.cohort.cohort, b.series.cohort.cohort)) continue;
      parent[find(i)] = find(j);
    }
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
 * Takes the metric with the strongest evidence, starts from its episode with the largest shortfall (a broad cohort
 * that holds the whole change) and descends to a more specific cohort while that keeps ≥ 70 % of the shortfall.
 */
function mostSpecificCarrier(members: Episode[]): Episode {
  const strength = (e: Episode) => Math.abs(e.shortfall);
  const strongest = [...members].sort((a, b) => a.minP - b.minP)[0] as Episode;
  const sameMetric = members.filter((e) => e.series.metric.metric === strongest.series.metric.metric);
  let current = sameMetric.sort(
    (a, b) => strength(b) - strength(a) || a.series.level - b.series.level,
  )[0] as Episode;
  for (;;) {
    const narrower = members.filter(
      (e) =>
        e.series.metric.metric === current.series.metric.metric &&
        e.series.level > current.series.level &&
        isSubset(current.series.cohort.cohort, e.series.cohort.cohort) &&
        strength(e) >= 0.7 * strength(current),
    );
    if (narrower.length === 0) return current;
    current = narrower.sort(
      (a, b) => b.series.level - a.series.level || strength(b) - strength(a),
    )[0] as Episode;
  }
}
