/**
 * Upper tail of the standard normal distribution, P(Z > z), from the complementary error function of
 * Numerical Recipes (erfcc, Chebyshev fit, fractional error below 1.2e-7 everywhere).
 */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * ln P(Z > z), accurate where P(Z > z) itself underflows: from the tail above for z < 5, else from the
 * asymptotic series ln(φ(z)/z) + ln(1 − 1/z² + 3/z⁴ − 15/z⁶) (relative error below 1e-4 at z = 5).
 */
export function logNormalTail(z: number): number {
  if (z < 5) return Math.log(normalTail(z));
  const inv2 = 1 / (z * z);
  return (
    -0.5 * z * z -
    Math.log(z) -
    0.5 * Math.log(2 * Math.PI) +
    Math.log(1 - inv2 + 3 * inv2 * inv2 - 15 * inv2 * inv2 * inv2)
  );
}
