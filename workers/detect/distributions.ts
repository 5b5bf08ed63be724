/**
 * Tail probabilities and quantiles of the distributions the detectors use: Poisson, negative binomial,
 * binomial, beta-binomial, normal, Student t and chi-square. Every tail is computed directly (never as
 * 1 − the other tail) so that p-values of 1e-12 keep their digits.
 *
 * Conventions: `cdf(x) = P(X ≤ x)`, `sf(x) = P(X ≥ x)` for the discrete distributions (both include x, so
 * both one-sided p-values of an observation are `cdf(y)` and `sf(y)`), and `sf(x) = P(X > x)` for the
 * continuous ones.
 */
import { betaRegularized, gammaP, gammaQ, logBeta, logChoose, logGamma } from './special';

// ---------------------------------------------------------------------------------------------------------
// Poisson

/** P(X ≤ y) for X ~ Poisson(λ). */
export function poissonCdf(y: number, lambda: number): number {
  if (y < 0) return 0;
  if (lambda <= 0) return 1;
  return gammaQ(Math.floor(y) + 1, lambda);
}

/** P(X ≥ y) for X ~ Poisson(λ). */
export function poissonSf(y: number, lambda: number): number {
  if (y <= 0) return 1;
  if (lambda <= 0) return 0;
  return gammaP(Math.ceil(y), lambda);
}

/** P(X = y) for X ~ Poisson(λ). */
export function poissonPmf(y: number, lambda: number): number {
  if (y < 0 || !Number.isInteger(y)) return 0;
  if (lambda <= 0) return y === 0 ? 1 : 0;
  return Math.exp(y * Math.log(lambda) - lambda - logGamma(y + 1));
}

// ---------------------------------------------------------------------------------------------------------
// Negative binomial, parametrised by its mean μ and size k: variance μ + μ²/k (k → ∞ is Poisson).

/** Below this relative excess variance (μ/k) the Poisson tail is used: the two agree to ~1e-9. */
const POISSON_LIMIT = 1e-9;

/** P(X ≤ y) for X ~ NB(mean μ, size k). */
export function negBinomCdf(y: number, mu: number, k: number): number {
  if (y < 0) return 0;
  if (mu <= 0) return 1;
  if (!Number.isFinite(k) || mu / k < POISSON_LIMIT) return poissonCdf(y, mu);
  // P(X ≤ y) = I_p(k, y + 1) with p = k / (k + μ).
  return betaRegularized(k, Math.floor(y) + 1, k / (k + mu), mu / (k + mu));
}

/** P(X ≥ y) for X ~ NB(mean μ, size k). */
export function negBinomSf(y: number, mu: number, k: number): number {
  if (y <= 0) return 1;
  if (mu <= 0) return 0;
  if (!Number.isFinite(k) || mu / k < POISSON_LIMIT) return poissonSf(y, mu);
  // P(X ≥ y) = 1 − I_p(k, y) = I_{1−p}(y, k).
  return betaRegularized(Math.ceil(y), k, mu / (k + mu), k / (k + mu));
}

// ---------------------------------------------------------------------------------------------------------
// Binomial

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const kk = Math.floor(k);
  // P(X ≤ k) = I_{1−p}(n − k, k + 1).
  return betaRegularized(n - kk, kk + 1, 1 - p, p);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomSf(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const kk = Math.ceil(k);
  // P(X ≥ k) = I_p(k, n − k + 1).
  return betaRegularized(kk, n - kk + 1, p, 1 - p);
}

// ---------------------------------------------------------------------------------------------------------
// Beta-binomial: k successes of n trials whose rate is Beta(α, β); mean p = α/(α+β), intra-class
// correlation ρ = 1/(α+β+1), variance n p (1−p) (1 + (n−1)ρ).

/** α, β of the beta-binomial with mean p and intra-class correlation ρ (0 < ρ < 1). */
export function betaBinomShape(p: number, rho: number): { alpha: number; beta: number } {
  const s = (1 - rho) / rho;
  return { alpha: p * s, beta: (1 - p) * s };
}

/** ln P(X = k) for X ~ BetaBinomial(n, α, β). */
export function betaBinomLogPmf(k: number, n: number, alpha: number, beta: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  return logChoose(n, k) + logBeta(k + alpha, n - k + beta) - logBeta(alpha, beta);
}

/** Sums the pmf from `start` outwards (step ±1) until the terms no longer matter. */
function betaBinomTailSum(start: number, step: 1 | -1, n: number, alpha: number, beta: number): number {
  let term = Math.exp(betaBinomLogPmf(start, n, alpha, beta));
  let sum = 0;
  for (let j = start; j >= 0 && j <= n; j += step) {
    sum += term;
    if (term < sum * 1e-17 || term === 0) break;
    // f(j+1)/f(j) = (n−j)(j+α) / ((j+1)(n−j−1+β)).
    if (step === 1) term *= ((n - j) * (j + alpha)) / ((j + 1) * (n - j - 1 + beta));
    else term *= (j * (n - j + beta)) / ((n - j + 1) * (j - 1 + alpha));
  }
  return Math.min(1, sum);
}

/** P(X ≤ k) for X ~ BetaBinomial(n, α, β). */
export function betaBinomCdf(k: number, n: number, alpha: number, beta: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const kk = Math.floor(k);
  const mean = (n * alpha) / (alpha + beta);
  // Sum the side away from the bulk so that few terms are needed and small tails keep their digits.
  if (kk < mean) return betaBinomTailSum(kk, -1, n, alpha, beta);
  return 1 - betaBinomTailSum(kk + 1, 1, n, alpha, beta);
}

/** P(X ≥ k) for X ~ BetaBinomial(n, α, β). */
export function betaBinomSf(k: number, n: number, alpha: number, beta: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const kk = Math.ceil(k);
  const mean = (n * alpha) / (alpha + beta);
  if (kk > mean) return betaBinomTailSum(kk, 1, n, alpha, beta);
  return 1 - betaBinomTailSum(kk - 1, -1, n, alpha, beta);
}

// ---------------------------------------------------------------------------------------------------------
// Normal

/** P(Z > z) for a standard normal Z (accurate far into the upper tail). */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const q = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? q : 1 - q;
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

// Acklam's rational approximation (relative error 1.15e-9), refined below by one Halley step.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function at(xs: number[], i: number): number {
  return xs[i] as number;
}

/** The p-quantile of the standard normal, p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    x =
      (((((at(C, 0) * q + at(C, 1)) * q + at(C, 2)) * q + at(C, 3)) * q + at(C, 4)) * q + at(C, 5)) /
      ((((at(D, 0) * q + at(D, 1)) * q + at(D, 2)) * q + at(D, 3)) * q + 1);
    if (p > 1 - low) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((at(A, 0) * r + at(A, 1)) * r + at(A, 2)) * r + at(A, 3)) * r + at(A, 4)) * r + at(A, 5)) * q) /
      (((((at(B, 0) * r + at(B, 1)) * r + at(B, 2)) * r + at(B, 3)) * r + at(B, 4)) * r + 1);
  }
  // Halley refinement against the accurate tail (done on the side where the tail is small).
  for (let i = 0; i < 2; i++) {
    const e = p < 0.5 ? normalCdf(x) - p : -(normalSf(x) - (1 - p));
    const u = e / normalPdf(x);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

// ---------------------------------------------------------------------------------------------------------
// Student t

/** P(T > t) for T ~ Student t with ν degrees of freedom (ν > 0, real). */
export function studentTSf(t: number, nu: number): number {
  if (Number.isNaN(t) || !(nu > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2).
  const half = 0.5 * betaRegularized(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
  return t >= 0 ? half : 1 - half;
}

/** Student t density. */
export function studentTPdf(t: number, nu: number): number {
  return Math.exp(
    logGamma((nu + 1) / 2) -
      logGamma(nu / 2) -
      0.5 * Math.log(nu * Math.PI) -
      ((nu + 1) / 2) * Math.log1p((t * t) / nu),
  );
}

/**
 * The p-quantile of Student's t with ν degrees of freedom: closed forms for ν = 1 and 2, otherwise Newton's
 * method on ln P(T > t) (which stays well-conditioned for tiny tails) inside a bisection bracket.
 * Accurate to ~1e-12 relative.
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu > 0)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  if (p === 0.5) return 0;
  const q = 1 - p; // the upper tail to hit
  if (nu === 1) return 1 / Math.tan(Math.PI * q);
  if (nu === 2) return (Math.sqrt(2) * (1 - 2 * q)) / Math.sqrt(4 * q * (1 - q));
  // Start from the normal quantile with the first Cornish-Fisher terms.
  const z = normalQuantile(p);
  let t = z + (z * z * z + z) / (4 * nu) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * nu * nu);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  const logQ = Math.log(q);
  for (let i = 0; i < 200; i++) {
    if (!(t > lo && t < hi)) t = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * lo, 1);
    const sf = studentTSf(t, nu);
    if (sf > q) lo = t;
    else hi = t;
    // d/dt ln S(t) = −f(t)/S(t)
    const g = Math.log(sf) - logQ;
    const step = g / (studentTPdf(t, nu) / sf);
    const next = t + step;
    if (Math.abs(step) <= 1e-14 * Math.abs(t)) return next;
    t = next;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------
// Chi-square

/** P(X > x) for X ~ χ² with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}
