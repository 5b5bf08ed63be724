import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  betaBinomCdf,
  betaBinomLogPmf,
  betaBinomShape,
  betaBinomSf,
  binomCdf,
  binomSf,
  chiSquareSf,
  negBinomCdf,
  negBinomSf,
  normalCdf,
  normalQuantile,
  normalSf,
  poissonCdf,
  poissonPmf,
  poissonSf,
  studentTQuantile,
  studentTSf,
} from '../../workers/detect/distributions';
import { betaRegularized, gammaP, gammaQ, logGamma } from '../../workers/detect/special';

/** |actual − expected| ≤ rel × |expected| (an absolute tolerance rel when expected is 0). */
function close(actual: number, expected: number, rel = 1e-9, what = ''): void {
  const tol = expected === 0 ? rel : rel * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual}`);
}

describe('special functions', () => {
  it('log-gamma matches closed forms', () => {
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13, 'lnΓ(1/2)');
    close(logGamma(1), 0, 1e-14, 'lnΓ(1)');
    close(logGamma(10), Math.log(362880), 1e-13, 'lnΓ(10)');
    close(logGamma(100), 359.1342053695754, 1e-13, 'lnΓ(100)');
    close(logGamma(0.1), 2.252712651734206, 1e-12, 'lnΓ(0.1)');
  });

  it('regularized incomplete gamma and beta match closed forms', () => {
    close(gammaP(1, 2), 1 - Math.exp(-2), 1e-13, 'P(1,2)');
    close(gammaQ(1, 30), Math.exp(-30), 1e-12, 'Q(1,30) deep tail');
    close(gammaQ(0.5, 1), 0.15729920705028513, 1e-12, 'erfc(1)');
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b
    close(betaRegularized(3, 1, 0.2), 0.008, 1e-12, 'I_0.2(3,1)');
    close(betaRegularized(1, 4, 0.5), 1 - 0.0625, 1e-12, 'I_0.5(1,4)');
    // symmetry I_x(a,b) = 1 − I_{1−x}(b,a), tiny side kept accurately
    close(betaRegularized(40, 2, 0.3), 1 - betaRegularized(2, 40, 0.7), 1e-6, 'symmetry');
  });
});

describe('Poisson and negative binomial tails', () => {
  it('P(X ≤ 2 | λ=10) = 61 e^−10 = 0.002769…', () => {
    close(poissonCdf(2, 10), 61 * Math.exp(-10), 1e-12);
    close(poissonCdf(2, 10), 0.0027693957155115775, 1e-10);
  });

  it('P(X ≥ 20 | λ=10) = 0.003454…, and agrees with summing the pmf', () => {
    close(poissonSf(20, 10), 0.0034543419758568, 1e-10);
    let sum = 0;
    for (let y = 20; y < 200; y++) sum += poissonPmf(y, 10);
    close(poissonSf(20, 10), sum, 1e-12);
  });

  it('keeps far tails (no cancellation to 0 or 1)', () => {
    const p = poissonCdf(100, 200); // ~ 1e-14
    assert.ok(p > 1e-16 && p < 1e-11, `${p}`);
    let sum = 0;
    for (let y = 0; y <= 100; y++) sum += poissonPmf(y, 200);
    close(p, sum, 1e-9, 'deep lower tail');
    assert.equal(poissonSf(0, 5), 1);
    assert.equal(poissonCdf(-1, 5), 0);
  });

  it('negative binomial: P(X ≤ 1 | μ=10, k=2) = 2/27 and the tails add up', () => {
    close(negBinomCdf(1, 10, 2), 2 / 27, 1e-12);
    close(negBinomCdf(0, 10, 2), 1 / 36, 1e-12);
    close(negBinomSf(2, 10, 2), 25 / 27, 1e-12);
    close(negBinomCdf(37, 30, 5) + negBinomSf(38, 30, 5), 1, 1e-12, 'cdf + sf');
  });

  it('negative binomial tends to Poisson as k grows', () => {
    close(negBinomCdf(40, 50, 1e12), poissonCdf(40, 50), 1e-6);
    close(negBinomSf(60, 50, 1e8), poissonSf(60, 50), 1e-4);
    // overdispersion widens the tails
    assert.ok(
      negBinomSf(80, 50, 10) > 100 * poissonSf(80, 50),
      'negBinomSf(80, 50, 10) > 100 * poissonSf(80, 50)',
    );
  });
});

describe('binomial and beta-binomial tails', () => {
  it('P(X ≤ 1 | n=10, p=0.3) = 0.7^10 + 3·0.7^9 = 0.14930834…', () => {
    close(binomCdf(1, 10, 0.3), 0.7 ** 10 + 10 * 0.3 * 0.7 ** 9, 1e-12);
    close(binomCdf(1, 10, 0.3), 0.1493083459, 1e-9);
  });

  it('P(X ≥ 8 | n=10, p=0.3) = 0.0015903864', () => {
    close(binomSf(8, 10, 0.3), 45 * 0.3 ** 8 * 0.49 + 10 * 0.3 ** 9 * 0.7 + 0.3 ** 10, 1e-12);
    close(binomSf(8, 10, 0.3), 0.0015903864, 1e-8);
    assert.equal(binomSf(0, 10, 0.3), 1);
    assert.equal(binomCdf(10, 10, 0.3), 1);
  });

  it('beta-binomial with α = β = 1 is uniform on 0…n', () => {
    const { alpha, beta } = betaBinomShape(0.5, 1 / 3);
    close(alpha, 1, 1e-12);
    close(beta, 1, 1e-12);
    close(betaBinomCdf(3, 9, 1, 1), 0.4, 1e-12);
    close(betaBinomSf(7, 9, 1, 1), 0.3, 1e-12);
    close(Math.exp(betaBinomLogPmf(4, 9, 1, 1)), 0.1, 1e-12);
  });

  it('beta-binomial pmf sums to 1 and its tails are complementary', () => {
    const { alpha, beta } = betaBinomShape(0.3, 0.05);
    let total = 0;
    for (let k = 0; k <= 50; k++) total += Math.exp(betaBinomLogPmf(k, 50, alpha, beta));
    close(total, 1, 1e-10);
    close(betaBinomCdf(10, 50, alpha, beta) + betaBinomSf(11, 50, alpha, beta), 1, 1e-12);
    // tends to the binomial as ρ → 0
    const near = betaBinomShape(0.3, 1e-7);
    close(betaBinomCdf(8, 50, near.alpha, near.beta), binomCdf(8, 50, 0.3), 1e-4);
  });
});

describe('normal, Student t and chi-square', () => {
  it('normal tails and quantiles', () => {
    close(normalSf(1.959963984540054), 0.025, 1e-10);
    close(normalSf(10), 7.619853024160527e-24, 1e-9, 'far tail');
    close(normalCdf(-1), 0.15865525393145707, 1e-12);
    close(normalQuantile(0.975), 1.959963984540054, 1e-12);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-10);
    close(normalQuantile(0.5), 0, 1e-15);
  });

  it('t quantiles match the tables: t(0.975, 10) = 2.228139', () => {
    close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-9);
    close(studentTQuantile(0.995, 5), 4.032142983557536, 1e-9);
    close(studentTQuantile(0.95, 1), 6.313751514675043, 1e-9);
    close(studentTQuantile(0.975, 30), 2.042272456301238, 1e-9);
    close(studentTQuantile(0.975, 2), 4.302652729911275, 1e-9);
    close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-9);
  });

  it('t quantile inverts the t tail, also far out and for fractional ν', () => {
    for (const [p, nu] of [
      [1 - 1e-12, 7],
      [0.999, 3.7],
      [0.9, 2.5],
      [1 - 1e-6, 50],
    ] as const) {
      const t = studentTQuantile(p, nu);
      close(studentTSf(t, nu), 1 - p, 1e-8, `ν=${nu}`);
    }
  });

  it('chi-square tail', () => {
    close(chiSquareSf(3.841458820694124, 1), 0.05, 1e-10);
    // χ²(4) tail is e^{−x/2}(1 + x/2)
    close(chiSquareSf(10, 4), Math.exp(-5) * 6, 1e-12);
  });
});
