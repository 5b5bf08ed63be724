/**
 * Ensemble for generic values: the robust seasonal z-score, the EWMA chart, the CUSUM changepoint chart and
 * S-H-ESD score the same bucket; their one-sided p-values are combined per direction into one p-value, and
 * that into one calibrated score.
 *
 * Combination: the Cauchy combination test (ACAT; Liu & Xie 2020), T = Σ wᵢ tan((½ − pᵢ)π) / Σ wᵢ,
 * p = ½ − arctan(T)/π. Its tail is Cauchy whatever the dependence between the p-values, so it stays
 * calibrated although all four detectors read the same data (Fisher's method assumes independence and
 * would alarm far too often here). One very small p-value dominates, so a spike seen only by the z-score
 * and a slow shift seen only by the CUSUM both get through, at the price of a factor ≈ (number of
 * detectors) on each, like Bonferroni. p-values above 0.99 are truncated to 0.99 first (a CUSUM at 0 has
 * p = 1, whose tan term is −∞ and would veto the others). The worst direction's combined p is reported; the score is
 * 1 − min(1, 2p) like every other detector. Until the seasonal baseline exists (the first days) only the
 * z-score and S-H-ESD take part: the drift charts need an unbiased baseline.
 *
 * Fisher's method and min-p with Bonferroni are exported too (for independent evidence, e.g. several
 * series).
 */
import { alarmFromPValue, clampP, scoreFromPValue } from './calibrate';
import { chiSquareSf } from './distributions';
import type { BaselineOptions, DirectionalP } from './generic';
import {
  CusumChart,
  EwmaChart,
  LongRunVariance,
  ResidualScaler,
  RobustSeasonalBaseline,
  genericScore,
  longRunBlock,
  robustZ,
} from './generic';
import { isMissing } from './series';
import type { ShesdOptions } from './shesd';
import { ShesdDetector } from './shesd';
import type { BucketScore, Direction, OnlineDetector, Sensitivity, ValueObservation } from './types';

/** p-values are truncated here before the Cauchy combination (see cauchyCombine). */
export const CAUCHY_MAX_P = 0.99;

/**
 * Cauchy combination of p-values (optionally weighted). Valid under arbitrary dependence for small p.
 * p-values above 0.99 are truncated to 0.99: tan((½ − p)π) → −∞ as p → 1, so one detector with no evidence
 * at all (a CUSUM sitting at 0 has p = 1) would otherwise veto every other.
 */
export function cauchyCombine(pValues: readonly number[], weights?: readonly number[]): number {
  let t = 0;
  let w = 0;
  pValues.forEach((p, i) => {
    if (Number.isNaN(p)) return;
    const wi = weights?.[i] ?? 1;
    const pc = Math.min(CAUCHY_MAX_P, clampP(p));
    // tan((½ − p)π) = 1/tan(pπ); for tiny p use 1/(pπ) to avoid losing p to rounding.
    t += wi * (pc < 1e-15 ? 1 / (pc * Math.PI) : 1 / Math.tan(pc * Math.PI));
    w += wi;
  });
  if (w === 0) return 1;
  t /= w;
  // p = ½ − arctan(T)/π, written to keep precision for large T.
  const p = t > 0 ? Math.atan(1 / t) / Math.PI : 0.5 - Math.atan(t) / Math.PI;
  return clampP(p);
}

/** Fisher's combination: −2 Σ ln pᵢ ~ χ²(2m) for independent p-values. */
export function fisherCombine(pValues: readonly number[]): number {
  let x = 0;
  let m = 0;
  for (const p of pValues) {
    if (Number.isNaN(p)) continue;
    x += -2 * Math.log(clampP(p));
    m++;
  }
  return m === 0 ? 1 : clampP(chiSquareSf(x, 2 * m));
}

/** min-p with Bonferroni: min(1, m · min pᵢ). */
export function bonferroniMin(pValues: readonly number[]): number {
  const ps = pValues.filter((p) => !Number.isNaN(p));
  return ps.length === 0 ? 1 : clampP(ps.length * Math.min(...ps));
}

export interface EnsembleOptions extends BaselineOptions {
  sensitivity?: Sensitivity;
  /** EWMA weight λ (default 0.2). */
  lambda?: number;
  /** CUSUM reference k in σ (default 0.5). */
  k?: number;
  /** Include S-H-ESD (default true), with these options. */
  shesd?: boolean | Omit<ShesdOptions, 'bucketMinutes' | 'sensitivity' | 'offset'>;
  /** Weights of the components in the combination (default 1 each). */
  weights?: Partial<Record<EnsembleComponent, number>>;
}

export type EnsembleComponent = 'robustZ' | 'ewma' | 'cusum' | 'shesd';

export interface EnsembleScore extends BucketScore {
  observed: number;
  /** Robust z of the value. */
  z: number;
  /** Worst-direction p-value of each component (undefined when it had no score). */
  components: Partial<Record<EnsembleComponent, { pValue: number; direction: Direction }>>;
}

function worst(p: DirectionalP): { pValue: number; direction: Direction } {
  return p.up < p.down ? { pValue: p.up, direction: 'up' } : { pValue: p.down, direction: 'down' };
}

export class GenericEnsemble implements OnlineDetector<ValueObservation, EnsembleScore> {
  private readonly sensitivity: Sensitivity;
  private readonly baseline: RobustSeasonalBaseline;
  private readonly scaler = new ResidualScaler();
  private readonly longRun: LongRunVariance;
  private readonly ewma: EwmaChart;
  private readonly cusum: CusumChart;
  private readonly shesd: ShesdDetector | null;
  private readonly weights: Record<EnsembleComponent, number>;
  private index = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(options: EnsembleOptions) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.baseline = new RobustSeasonalBaseline(options);
    this.longRun = new LongRunVariance(longRunBlock(options));
    this.ewma = new EwmaChart(options.lambda ?? 0.2);
    this.cusum = new CusumChart(this.sensitivity, options.k ?? 0.5);
    const shesd = options.shesd ?? true;
    this.shesd =
      shesd === false
        ? null
        : new ShesdDetector({
            ...(typeof shesd === 'object' ? shesd : {}),
            bucketMinutes: options.bucketMinutes,
            sensitivity: this.sensitivity,
            offset: options.offset,
          });
    this.weights = { robustZ: 1, ewma: 1, cusum: 1, shesd: 1, ...options.weights };
  }

  push(observation: ValueObservation): EnsembleScore | null {
    const index = this.index++;
    const { time, value } = observation;
    if (isMissing(value) || !Number.isFinite(time)) {
      this.shesd?.push(observation); // keeps its index in step; a missing value changes nothing
      return null;
    }
    if (time <= this.lastTime)
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    this.lastTime = time;
    const x = value as number;
    const shesd = this.shesd?.push(observation) ?? null;
    const pred = this.baseline.predict(time);
    this.baseline.add(time, x);
    if (pred === null) return null;

    const z = robustZ(x, pred);
    const parts: [EnsembleComponent, DirectionalP][] = [['robustZ', z]];
    if (pred.baseline === 'seasonal') {
      // The drift charts run on the seasonal baseline only (see generic.ts).
      const r = this.scaler.next(z.z);
      const v = this.longRun.value;
      const e = this.ewma.next(r, v);
      const c = this.cusum.next(r, v);
      const chartAlarm =
        alarmFromPValue(Math.min(e.up, e.down), this.sensitivity) ||
        alarmFromPValue(Math.min(c.up, c.down), this.sensitivity);
      this.longRun.add(r, !chartAlarm);
      parts.push(['ewma', e], ['cusum', c]);
    }
    if (shesd) {
      // S-H-ESD reports its worst direction only; the other side carries no evidence (p = 1).
      parts.push([
        'shesd',
        shesd.direction === 'up' ? { up: shesd.pValue, down: 1 } : { up: 1, down: shesd.pValue },
      ]);
    }
    const w = parts.map(([name]) => this.weights[name]);
    const up = cauchyCombine(
      parts.map(([, p]) => p.up),
      w,
    );
    const down = cauchyCombine(
      parts.map(([, p]) => p.down),
      w,
    );
    const components: EnsembleScore['components'] = {};
    for (const [name, p] of parts) components[name] = worst(p);
    const common = genericScore(index, x, pred, { up, down }, this.sensitivity);
    return { ...common, components };
  }

  scoreSeries(observations: readonly ValueObservation[]): (EnsembleScore | null)[] {
    return observations.map((o) => this.push(o));
  }
}

export function createGenericEnsemble(options: EnsembleOptions): GenericEnsemble {
  return new GenericEnsemble(options);
}

/** The ensemble's combined score of one bucket from component p-values (for callers that run them apart). */
export function combineScores(
  parts: readonly DirectionalP[],
  sensitivity: Sensitivity,
  weights?: readonly number[],
): { pValue: number; direction: Direction; score: number; alarm: boolean } {
  const up = cauchyCombine(
    parts.map((p) => p.up),
    weights,
  );
  const down = cauchyCombine(
    parts.map((p) => p.down),
    weights,
  );
  const { pValue, direction } = worst({ up, down });
  return { pValue, direction, score: scoreFromPValue(pValue), alarm: alarmFromPValue(pValue, sensitivity) };
}
