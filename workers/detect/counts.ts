/**
 * Online detector for count metrics (sessions, orders): Poisson / negative-binomial tails around a seasonal
 * baseline.
 *
 * Baseline of bucket t (from buckets before t only):
 * - seasonal: μ = f × P(time of day) × D(day of week), where P is the mean count per bucket in each local
 *   hour of day over the trailing `profileWeeks` weeks, linearly interpolated between hour centres (so a
 *   5-minute bucket at 13:50 sits between the 13h and 14h means), D is the day-of-week factor (observed /
 *   hour-profile-expected counts of that weekday, shrunk towards 1 with 3 hours of pseudo-data), and f is the
 *   recent level: Σ observed / Σ profile-expected, exponentially weighted (half-life `seasonalLevelHalfLife`
 *   minutes). Used once at least `seasonalMinDays` (7) days of history exist and the
 *   weekday has been seen: a weekend's shape cannot be guessed from weekdays.
 * - level (before that, or with `seasonal: false`): μ = exponentially weighted mean count (half-life
 *   `levelHalfLife` minutes).
 * Both are maintained from the first bucket so the switch is seamless; `baseline` says which one scored.
 *
 * Overdispersion: the negative binomial variance μ + μ²/k, with 1/k estimated online for each baseline by
 * moments of its own one-step-ahead residuals, Σw((y − μ)² − μ) / Σw μ² (exponential weights, memory
 * `dispersionMemoryDays`, residuals winsorised at 5 sd). It therefore also absorbs the estimation noise of the
 * baseline, so the p-values are predictive. A Poisson series gets 1/k ≈ 0.
 *
 * Evidence, two tests on the same baseline:
 * - single bucket: the exact NB (Poisson) tail of the count, pValue = min(P(X ≤ y), P(X ≥ y)); [lower, upper]
 *   are the counts whose tails are both ≥ α/2. Catches big jumps in one bucket.
 * - CUSUMs of the NB log-likelihood ratio of a ±`cusumShift` (25 %) change of the level, of a ×/÷
 *   `cusumLargeFactor` (2) change and of a ×/÷ `cusumHugeFactor` (8) change, capped at 2h; one-sided p-value
 *   3e^{−max S} (Ville's bound, calibrate.ts, Bonferroni over the three charts). The first catches moderate
 *   shifts that last (a 30 % dip of a small cohort) and holds the alarm for as long as they do; the second
 *   gathers the evidence of a large change in a small count (payment failures of one browser going from 2 to
 *   10 an hour) several times faster; the third that of a failure in a sparse count (payment failures of a
 *   cohort going from one an hour to a dozen: ln 8 per event where the second chart gets ln 2) and of a
 *   cohort cut off (a country at a fifth of its visits). It runs on the seasonal baseline only (or with
 *   `seasonal: false`): the residuals of a level-only baseline on seasonal data are biased for hours.
 * score and alarm use the stronger of the two (alarm when 2 × min(p_bucket, p_cusum) ≤ α). Each test is
 * calibrated at α, so their union is bounded by 2α; in practice the CUSUM adds little under the null
 * (measured: 0.7–1.1e-3 at medium, 0.9–1.2e-2 at high on Poisson(50)), since Ville's bound is loose when
 * a bucket carries much information, while the discreteness of the single-bucket test leaves part of α
 * unspent.
 *
 * Robustness: updates of the level use the observation winsorised at `clip` (3) predictive sd, and the
 * profile at 4 sd, so single outliers barely move the baseline. While a bucket alarms, the level, the
 * level factor and the dispersion are not updated (the incident must not become the baseline; "alarm" is at
 * the detector's sensitivity, so the learnt state depends on it); after
 * `relearnAfterMinutes` (6 hours) of uninterrupted alarm the level seen during the alarm is accepted as the
 * new normal and the CUSUM restarts.
 *
 * Missing buckets (count null/NaN, or negative) return null and change nothing: no decay, no learning.
 */
import {
  alarmFromPValue,
  clampP,
  cusumPValue,
  cusumThreshold,
  falseAlarmRate,
  scoreFromPValue,
} from './calibrate';
import { negBinomCdf, negBinomSf } from './distributions';
import { bestFitting, LlrChart, stronger } from './llr-chart';
import type { OffsetFn, SeasonPosition } from './series';
import { DAY_MS, WEEK_MS, isMissing, seasonPosition } from './series';
import type { BaselineKind, BucketScore, CountObservation, OnlineDetector, Sensitivity } from './types';

export interface CountDetectorOptions {
  /** Bucket size in minutes (1, 5, 15 or 60). */
  bucketMinutes: number;
  sensitivity?: Sensitivity;
  /** Local-time offset in minutes at an instant (DST-aware callers pass one); UTC when omitted. */
  offset?: OffsetFn;
  /** Use the hour-of-day × day-of-week profile once enough history exists (default true). */
  seasonal?: boolean;
  /** Days of history before the seasonal baseline is used (default 7). */
  seasonalMinDays?: number;
  /** Weeks of history in the seasonal profile (default 4). */
  profileWeeks?: number;
  /** Half-life of the level-only baseline, minutes (default 60; at least 4 buckets). */
  levelHalfLife?: number;
  /** Half-life of the level factor of the seasonal baseline, minutes (default 180; at least 4 buckets). */
  seasonalLevelHalfLife?: number;
  /** Memory of the dispersion estimate, days (default 2; at least 288 buckets). */
  dispersionMemoryDays?: number;
  /** Observed buckets before the first score (default max(24, 2 hours)). */
  warmupBuckets?: number;
  /** Winsorisation of level updates, in predictive sd (default 3). */
  clip?: number;
  /** Floor of the expected count (default 0.05): a near-empty baseline cannot make one event an alarm. */
  minExpected?: number;
  /** Design shift of the CUSUM, relative (default 0.25); 0 disables the CUSUMs. */
  cusumShift?: number;
  /** Factor of the second CUSUM's design shift, up ×f and down ÷f (default 2; 1 disables it). */
  cusumLargeFactor?: number;
  /** Factor of the third CUSUM's design shift, up ×f and down ÷f (default 8; 1 disables it). */
  cusumHugeFactor?: number;
  /** Minutes of uninterrupted alarm after which the new level is accepted (default 360). */
  relearnAfterMinutes?: number;
}

export interface CountScore extends BucketScore {
  observed: number;
  /** Estimated 1/k of the negative binomial (0 = Poisson). */
  overdispersion: number;
  /** CUSUM statistics (LLR units), the larger of the two charts per direction (0 when disabled). */
  cusumUp: number;
  cusumDown: number;
}

/**
 * Per-bucket log-likelihood ratio of mean μ1 against μ0 for a negative binomial with the same 1/k
 * (Poisson when invK = 0): y ln(μ1/μ0) − (y + k) ln((k + μ1)/(k + μ0)).
 */
export function countLlr(y: number, mu0: number, mu1: number, invK: number): number {
  if (invK * mu0 < 1e-9) return y * Math.log(mu1 / mu0) - (mu1 - mu0);
  const k = 1 / invK;
  return y * Math.log(mu1 / mu0) - (y + k) * Math.log1p((mu1 - mu0) / (k + mu0));
}

interface Prediction {
  mu: number;
  invK: number;
}

/** Exponentially weighted ratio of sums Σw·num / Σw·den. */
class EwRatio {
  private num = 0;
  private den = 0;
  /**
   * `prior` adds that much to both sums (a ratio of 1 worth `prior` units), so a ratio over a near-empty
   * denominator cannot explode: a cohort whose profile is all zeros (a campaign that starts mid-history)
   * would otherwise get a level factor of thousands the moment its first visitor arrives.
   */
  constructor(
    private readonly decay: number,
    private readonly prior = 0,
  ) {}
  update(num: number, den: number): void {
    this.num = this.decay * this.num + num;
    this.den = this.decay * this.den + den;
  }
  get value(): number {
    const den = this.den + this.prior;
    return den > 0 ? (this.num + this.prior) / den : Number.NaN;
  }
  /** Sets the ratio, keeping the accumulated weight. */
  reset(value: number): void {
    if (!(this.den + this.prior > 0)) this.den = 1;
    this.num = value * (this.den + this.prior) - this.prior;
  }
}

/** Online moment estimate of the negative-binomial 1/k from one-step-ahead residuals. */
class Dispersion {
  private a = 0;
  private b = 0;
  constructor(private readonly decay: number) {}
  get invK(): number {
    return this.b > 0 ? Math.max(0, this.a / this.b) : 0;
  }
  update(y: number, mu: number): void {
    const sd = Math.sqrt(mu + mu * mu * this.invK);
    const r = Math.max(-5 * sd, Math.min(5 * sd, y - mu));
    this.a = this.decay * this.a + (r * r - mu);
    this.b = this.decay * this.b + mu * mu;
  }
}

function winsorise(y: number, p: Prediction, c: number): number {
  const sd = Math.sqrt(p.mu + p.mu * p.mu * p.invK);
  return Math.max(p.mu - c * sd, Math.min(p.mu + c * sd, y));
}

/** Saturday and Sunday (ISO days 5 and 6 counted from Monday = 0) form the weekend day type. */
function slot(hour: number, dow: number): number {
  return (dow >= 5 ? 24 : 0) + hour;
}

/** A day type's own hour profile is used once that hour has been seen on two such days. */
const MIN_DAY_TYPE_DAYS = 2;

/** One day's observations of one hour slot. */
interface DayEntry {
  day: number;
  sum: number;
  count: number;
}

/** Median of the per-day means of an hour slot (or of two slots pooled); NaN when empty. */
function medianOfDayMeans(...lists: DayEntry[][]): number {
  const means: number[] = [];
  for (const list of lists) for (const e of list) if (e.count > 0) means.push(e.sum / e.count);
  if (means.length === 0) return Number.NaN;
  means.sort((a, b) => a - b);
  const mid = means.length >> 1;
  return means.length % 2
    ? (means[mid] as number)
    : ((means[mid - 1] as number) + (means[mid] as number)) / 2;
}

/**
 * Hour-of-day × day-of-week profile over a trailing window. An hour's profile value is the median over days
 * of that hour's mean, so that one unusual day (an e-mail send, an outage) does not shift next week's
 * expectation. Weekdays and weekend days keep separate hour-of-day profiles (weekend traffic starts later and
 * peaks at midday; one shape scaled by a day factor misses that by a third in the morning); a day type not
 * seen on two days yet borrows the pooled profile.
 */
class SeasonalProfile {
  private readonly times: number[] = [];
  private readonly hours: number[] = [];
  private readonly days: number[] = [];
  private readonly absoluteDays: number[] = [];
  private readonly values: number[] = [];
  private readonly expected: number[] = [];
  private head = 0;
  /** Indexed by dayType × 24 + hour. */
  private readonly hodSum = new Float64Array(48);
  private readonly hodCount = new Float64Array(48);
  /** Per slot, one entry per day in the window, oldest first. */
  private readonly dayEntries: DayEntry[][] = Array.from({ length: 48 }, () => []);
  private readonly dowObs = new Float64Array(7);
  private readonly dowExp = new Float64Array(7);

  constructor(
    private readonly windowMs: number,
    private readonly shrinkBuckets: number,
  ) {}

  evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) {
      const d = this.days[this.head] as number;
      const h = slot(this.hours[this.head] as number, d);
      const v = this.values[this.head] as number;
      const e = this.expected[this.head] as number;
      this.hodSum[h] = (this.hodSum[h] as number) - v;
      this.hodCount[h] = (this.hodCount[h] as number) - 1;
      const entries = this.dayEntries[h] as DayEntry[];
      const entry = entries.find((x) => x.day === this.absoluteDays[this.head]);
      if (entry) {
        entry.sum -= v;
        entry.count -= 1;
        if (entry.count <= 0) entries.splice(entries.indexOf(entry), 1);
      }
      if (Number.isFinite(e)) {
        this.dowObs[d] = (this.dowObs[d] as number) - v;
        this.dowExp[d] = (this.dowExp[d] as number) - e;
      }
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      for (const xs of [this.times, this.hours, this.days, this.absoluteDays, this.values, this.expected])
        xs.splice(0, this.head);
      this.head = 0;
    }
  }

  private hourMean(h: number, dow: number): number {
    const own = this.dayEntries[slot(h, dow)] as DayEntry[];
    if (own.length >= MIN_DAY_TYPE_DAYS) return Math.max(0, medianOfDayMeans(own));
    const other = this.dayEntries[(slot(h, dow) + 24) % 48] as DayEntry[];
    return Math.max(0, medianOfDayMeans(own, other));
  }

  /** Hour-of-day profile at a time of day, interpolated between hour centres; NaN when unknown. */
  hourProfile(pos: SeasonPosition): number {
    const u = pos.timeOfDay - 0.5;
    const fl = Math.floor(u);
    const frac = u - fl;
    const h0 = (fl + 24) % 24;
    const h1 = (h0 + 1) % 24;
    const m0 = this.hourMean(h0, pos.dayOfWeek);
    const m1 = this.hourMean(h1, pos.dayOfWeek);
    if (Number.isNaN(m0)) return m1;
    if (Number.isNaN(m1)) return m0;
    return (1 - frac) * m0 + frac * m1;
  }

  /** Day-of-week factor, shrunk towards 1 and normalised so that the window averages 1. */
  dayFactor(dow: number): number {
    let obs = 0;
    let exp = 0;
    let totalSum = 0;
    let totalCount = 0;
    for (let d = 0; d < 7; d++) {
      obs += this.dowObs[d] as number;
      exp += this.dowExp[d] as number;
    }
    for (let h = 0; h < 48; h++) {
      totalSum += this.hodSum[h] as number;
      totalCount += this.hodCount[h] as number;
    }
    if (!(exp > 0) || !(totalCount > 0)) return 1;
    const c = this.shrinkBuckets * Math.max(totalSum / totalCount, 1e-9);
    const own = ((this.dowObs[dow] as number) + c) / ((this.dowExp[dow] as number) + c);
    const all = (obs + 7 * c) / (exp + 7 * c);
    return own / all;
  }

  /** Whether the weekday has been seen in the window. */
  hasDay(dow: number): boolean {
    return (this.dowExp[dow] as number) > 0;
  }

  add(time: number, pos: SeasonPosition, value: number): void {
    const e = this.hourProfile(pos);
    this.times.push(time);
    this.hours.push(pos.hourOfDay);
    this.days.push(pos.dayOfWeek);
    this.absoluteDays.push(pos.day);
    this.values.push(value);
    this.expected.push(e);
    const h = slot(pos.hourOfDay, pos.dayOfWeek);
    this.hodSum[h] = (this.hodSum[h] as number) + value;
    this.hodCount[h] = (this.hodCount[h] as number) + 1;
    const entries = this.dayEntries[h] as DayEntry[];
    const last = entries[entries.length - 1];
    if (last && last.day === pos.day) {
      last.sum += value;
      last.count += 1;
    } else entries.push({ day: pos.day, sum: value, count: 1 });
    if (Number.isFinite(e)) {
      this.dowObs[pos.dayOfWeek] = (this.dowObs[pos.dayOfWeek] as number) + value;
      this.dowExp[pos.dayOfWeek] = (this.dowExp[pos.dayOfWeek] as number) + e;
    }
  }
}

/** Smallest integer x ≥ 0 with pred(x) true (pred monotone false → true). */
function firstInteger(pred: (x: number) => boolean, guess: number): number {
  let lo = -1; // pred(lo) is false by convention
  let hi = Math.max(0, Math.floor(guess));
  if (pred(hi)) {
    // Walk down exponentially to a false point.
    let step = 1;
    while (hi - step >= 0 && pred(hi - step)) step *= 2;
    lo = Math.max(-1, hi - step);
  } else {
    let step = 1;
    lo = hi;
    while (!pred(hi + step)) {
      lo = hi + step;
      step *= 2;
      // A predicate that never turns true (a tail that is NaN for degenerate parameters) must not hang.
      if (step > 2 ** 52) return Number.POSITIVE_INFINITY;
    }
    hi = hi + step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The interval [lower, upper] of counts that do not alarm: both tails ≥ α/2. */
export function countInterval(mu: number, invK: number, alpha: number): { lower: number; upper: number } {
  const k = invK > 0 ? 1 / invK : Number.POSITIVE_INFINITY;
  const sd = Math.sqrt(mu + mu * mu * invK);
  const q = alpha / 2;
  const lower = firstInteger((x) => negBinomCdf(x, mu, k) >= q, mu - 3 * sd);
  // upper = largest x with P(X ≥ x) ≥ q = (smallest x with P(X ≥ x + 1) < q).
  const upper = firstInteger((x) => negBinomSf(x + 1, mu, k) < q, mu + 3 * sd);
  return { lower, upper };
}

/** Worst-direction one-sided p-value of a count under NB(μ, 1/k). */
export function countPValue(
  y: number,
  mu: number,
  invK: number,
): { pValue: number; direction: 'up' | 'down' } {
  const k = invK > 0 ? 1 / invK : Number.POSITIVE_INFINITY;
  const pLow = negBinomCdf(y, mu, k);
  const pHigh = negBinomSf(y, mu, k);
  return pLow < pHigh
    ? { pValue: clampP(pLow), direction: 'down' }
    : { pValue: clampP(pHigh), direction: 'up' };
}

export class CountDetector implements OnlineDetector<CountObservation, CountScore> {
  private readonly sensitivity: Sensitivity;
  private readonly bucketMinutes: number;
  private readonly offset: OffsetFn | undefined;
  private readonly seasonal: boolean;
  private readonly seasonalMinMs: number;
  private readonly warmup: number;
  private readonly clip: number;
  private readonly minExpected: number;

  private readonly level: EwRatio;
  private readonly levelDispersion: Dispersion;
  private readonly factor: EwRatio;
  private readonly seasonalDispersion: Dispersion;
  private readonly profile: SeasonalProfile;

  private readonly cusumShift: number;
  private readonly cusumLargeFactor: number;
  // A small count drifts back to zero slowly after each stray event: see LlrChart.
  private readonly cusumUp = new LlrChart(1);
  private readonly cusumDown = new LlrChart(1);
  private readonly largeUp = new LlrChart(1);
  private readonly largeDown = new LlrChart(1);
  private readonly cusumHugeFactor: number;
  private readonly hugeUp = new LlrChart(1);
  private readonly hugeDown = new LlrChart(1);

  private readonly relearnAfter: number;
  private alarmRun = 0;
  private runObserved = 0;
  private runProfileExpected = 0;

  private index = 0;
  private observed = 0;
  private firstTime = Number.NaN;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(options: CountDetectorOptions) {
    const b = options.bucketMinutes;
    if (!(b > 0)) throw new RangeError(`bucketMinutes must be positive, got ${b}`);
    this.bucketMinutes = b;
    this.sensitivity = options.sensitivity ?? 'medium';
    this.offset = options.offset;
    this.seasonal = options.seasonal ?? true;
    this.seasonalMinMs = (options.seasonalMinDays ?? 7) * DAY_MS;
    this.warmup = options.warmupBuckets ?? Math.max(24, Math.ceil(120 / b));
    this.clip = options.clip ?? 3;
    this.minExpected = options.minExpected ?? 0.05;
    this.cusumShift = options.cusumShift ?? 0.25;
    this.cusumLargeFactor = options.cusumLargeFactor ?? 2;
    if (!(this.cusumLargeFactor >= 1))
      throw new RangeError(`cusumLargeFactor must be at least 1, got ${this.cusumLargeFactor}`);
    this.cusumHugeFactor = options.cusumHugeFactor ?? 8;
    if (!(this.cusumHugeFactor >= 1))
      throw new RangeError(`cusumHugeFactor must be at least 1, got ${this.cusumHugeFactor}`);
    this.relearnAfter = Math.max(1, Math.round((options.relearnAfterMinutes ?? 360) / b));
    const decayFor = (halfLifeBuckets: number) => Math.pow(0.5, 1 / halfLifeBuckets);
    this.level = new EwRatio(decayFor(Math.max(4, (options.levelHalfLife ?? 60) / b)));
    this.factor = new EwRatio(decayFor(Math.max(4, (options.seasonalLevelHalfLife ?? 180) / b)), 1);
    const memory = Math.max(288, ((options.dispersionMemoryDays ?? 2) * 1440) / b);
    this.levelDispersion = new Dispersion(1 - 1 / memory);
    this.seasonalDispersion = new Dispersion(1 - 1 / memory);
    this.profile = new SeasonalProfile((options.profileWeeks ?? 4) * WEEK_MS, Math.max(1, 180 / b));
  }

  push(observation: CountObservation): CountScore | null {
    const index = this.index++;
    const { time } = observation;
    const raw = observation.count;
    if (isMissing(raw) || !Number.isFinite(time) || (raw as number) < 0) return null;
    if (time <= this.lastTime) {
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    }
    this.lastTime = time;
    const y = Math.round(raw as number);
    if (Number.isNaN(this.firstTime)) this.firstTime = time;

    const pos = seasonPosition(time, this.bucketMinutes, this.offset);
    this.profile.evict(time);

    // Predictions from the state before this bucket.
    const levelMu = this.level.value;
    const levelPred: Prediction | null = Number.isFinite(levelMu)
      ? { mu: Math.max(this.minExpected, levelMu), invK: this.levelDispersion.invK }
      : null;
    const hourProfile = this.seasonal ? this.profile.hourProfile(pos) : Number.NaN;
    const profileExpected = Number.isFinite(hourProfile)
      ? hourProfile * this.profile.dayFactor(pos.dayOfWeek)
      : Number.NaN;
    const f = this.factor.value;
    const seasonalPred: Prediction | null =
      Number.isFinite(profileExpected) && Number.isFinite(f)
        ? { mu: Math.max(this.minExpected, f * profileExpected), invK: this.seasonalDispersion.invK }
        : null;
    const seasonalActive =
      seasonalPred !== null &&
      time - this.firstTime >= this.seasonalMinMs &&
      this.profile.hasDay(pos.dayOfWeek);
    const active = seasonalActive ? seasonalPred : levelPred;
    const baseline: BaselineKind = seasonalActive ? 'seasonal' : 'level';

    let result: CountScore | null = null;
    if (active !== null && this.observed >= this.warmup) result = this.score(index, y, active, baseline);

    if (result?.alarm && active) {
      // Stop learning the level while in alarm: the incident must not become the baseline. A change that
      // outlasts `relearnAfter` becomes the new level. The profile still gets the winsorised observation:
      // feeding it the expectation instead would let a biased profile confirm itself.
      this.alarmRun++;
      this.runObserved += y;
      this.runProfileExpected += Number.isFinite(profileExpected) ? profileExpected : Number.NaN;
      if (this.seasonal)
        this.profile.add(time, pos, this.profileFeed(y, active, profileExpected, seasonalActive ? 4 : 10));
      if (this.alarmRun >= this.relearnAfter) this.relearn();
      this.observed++;
      return result;
    }
    this.alarmRun = 0;
    this.runObserved = 0;
    this.runProfileExpected = 0;

    // Learn.
    this.level.update(levelPred ? winsorise(y, levelPred, this.clip) : y, 1);
    if (levelPred) this.levelDispersion.update(y, levelPred.mu);
    if (Number.isFinite(profileExpected) && profileExpected > 0) {
      this.factor.update(seasonalPred ? winsorise(y, seasonalPred, this.clip) : y, profileExpected);
    }
    if (seasonalPred) this.seasonalDispersion.update(y, seasonalPred.mu);
    if (this.seasonal) {
      // Before the seasonal baseline is in use only gross outliers are trimmed: the level-only baseline
      // cannot tell a daily peak from an anomaly.
      const feed = active ? this.profileFeed(y, active, profileExpected, seasonalActive ? 4 : 10) : y;
      this.profile.add(time, pos, feed);
    }
    this.observed++;
    return result;
  }

  /**
   * The profile holds raw counts while a prediction is factor × profile, so an observation is clipped
   * around the profile's own expectation: clipped around the prediction, a level factor far from 1 would
   * feed itself back (f × profile in, f² × profile out) until the expectation ran away.
   */
  private profileFeed(y: number, active: Prediction, profileExpected: number, c: number): number {
    if (!(Number.isFinite(profileExpected) && profileExpected > 0)) return winsorise(y, active, c);
    return winsorise(y, { mu: Math.max(this.minExpected, profileExpected), invK: active.invK }, c);
  }

  scoreSeries(observations: readonly CountObservation[]): (CountScore | null)[] {
    return observations.map((o) => this.push(o));
  }

  /** Accepts the level seen during a long alarm as the new normal. */
  private relearn(): void {
    const mean = this.runObserved / this.alarmRun;
    this.level.reset(mean);
    // Shrunk towards 1 like the factor itself, for the same reason (a near-empty profile).
    const f = (this.runObserved + 1) / (this.runProfileExpected + 1);
    if (Number.isFinite(f) && this.runProfileExpected > 0) this.factor.reset(f);
    for (const chart of [
      this.cusumUp,
      this.cusumDown,
      this.largeUp,
      this.largeDown,
      this.hugeUp,
      this.hugeDown,
    ])
      chart.reset();
    this.alarmRun = 0;
    this.runObserved = 0;
    this.runProfileExpected = 0;
  }

  private score(index: number, y: number, p: Prediction, baseline: BaselineKind): CountScore {
    const alpha = falseAlarmRate(this.sensitivity);
    const bucket = countPValue(y, p.mu, p.invK);
    const { lower, upper } = countInterval(p.mu, p.invK, alpha);
    let evidence = bucket.pValue;
    let direction = bucket.direction;
    let run: LlrChart | null = null;
    if (this.cusumShift > 0 && (baseline === 'seasonal' || !this.seasonal)) {
      const ups = [this.cusumUp];
      const downs = [this.cusumDown];
      if (this.cusumLargeFactor > 1) {
        ups.push(this.largeUp);
        downs.push(this.largeDown);
      }
      if (this.cusumHugeFactor > 1) {
        ups.push(this.hugeUp);
        downs.push(this.hugeDown);
      }
      const charts = ups.length;
      const cap = 2 * (cusumThreshold(this.sensitivity) + Math.log(charts));
      const step = (chart: LlrChart, mu1: number) => chart.step(index, countLlr(y, p.mu, mu1, p.invK), cap);
      step(this.cusumUp, p.mu * (1 + this.cusumShift));
      step(this.cusumDown, p.mu * (1 - this.cusumShift));
      if (this.cusumLargeFactor > 1) {
        step(this.largeUp, p.mu * this.cusumLargeFactor);
        step(this.largeDown, p.mu / this.cusumLargeFactor);
      }
      if (this.cusumHugeFactor > 1) {
        step(this.hugeUp, p.mu * this.cusumHugeFactor);
        step(this.hugeDown, p.mu / this.cusumHugeFactor);
      }
      const up = ups.reduce(stronger);
      const down = downs.reduce(stronger);
      const pc = charts * cusumPValue(Math.max(up.value, down.value));
      if (pc < evidence) {
        evidence = pc;
        direction = up.value >= down.value ? 'up' : 'down';
        run = (direction === 'up' ? ups : downs).reduce(bestFitting);
      }
    }
    const combined = clampP(Math.min(1, evidence));
    return {
      index,
      expected: p.mu,
      lower,
      upper,
      pValue: bucket.pValue,
      evidencePValue: combined,
      score: scoreFromPValue(combined),
      direction,
      alarm: alarmFromPValue(combined, this.sensitivity),
      baseline,
      observed: y,
      overdispersion: p.invK,
      cusumUp: Math.max(this.cusumUp.value, this.largeUp.value, this.hugeUp.value),
      cusumDown: Math.max(this.cusumDown.value, this.largeDown.value, this.hugeDown.value),
      onset: run && run.onset >= 0 ? run.onset : index,
      peak: run && run.peak >= 0 ? run.peak : index,
    };
  }
}

export function createCountDetector(options: CountDetectorOptions): CountDetector {
  return new CountDetector(options);
}

/** Scores a whole count series with a fresh detector. */
export function scoreCountSeries(
  observations: readonly CountObservation[],
  options: CountDetectorOptions,
): (CountScore | null)[] {
  return new CountDetector(options).scoreSeries(observations);
}
