/** Plain-words formatting of evidence numbers. */

export function cohortText(cohort: Record<string, string>): string {
  const keys = Object.keys(cohort).sort();
  return keys.length === 0 ? 'all traffic' : keys.map((d) => `${d}=${cohort[d]}`).join(' & ');
}

/** "16:50 UTC" (with the date when it is not obvious from context, the caller adds it). */
export function formatClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

export function formatMinutes(minutes: number): string {
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Two or three significant figures: 3.1, 41, 0.42, 1,250. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(0);
  if (a >= 1) return x.toFixed(1);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

export function formatPercent(p: number): string {
  const pct = p * 100;
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return 'from none';
  return r >= 10 ? `×${r.toFixed(0)}` : `×${r.toFixed(2).replace(/0$/, '')}`;
}
