import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FALSE_ALARM_RATE,
  alarmFromPValue,
  arlLlrCusum,
  arlStandardCusum,
  benjaminiHochberg,
  benjaminiHochbergAdjust,
  benjaminiHochbergAmong,
  cusumPValue,
  cusumThreshold,
  llrCusumThreshold,
  scoreFromPValue,
  scoreThreshold,
  standardCusumThreshold,
} from '../../workers/detect/calibrate';
import { bonferroniMin, cauchyCombine, fisherCombine } from '../../workers/detect/combine';
import { mulberry32 } from './support/random';

function close(actual: number, expected: number, tol: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual}`);
}

describe('Benjamini–Hochberg', () => {
  it('rejects the four smallest of a hand-worked example (q = 0.05, m = 5)', () => {
    // sorted: 0.005 ≤ 0.01, 0.01 ≤ 0.02, 0.03 ≤ 0.03, 0.04 ≤ 0.04, 0.2 > 0.05 → k = 4
    assert.deepEqual(benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2], 0.05), [
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('is step-up: a later pass rescues an earlier failure', () => {
    // thresholds 0.0125, 0.025, 0.0375, 0.05: 0.03 > 0.025 but 0.035 ≤ 0.0375 → reject the first three
    assert.deepEqual(benjaminiHochberg([0.5, 0.035, 0.012, 0.03], 0.05), [false, true, true, true]);
    // a step-down (Holm-like) reading would have stopped after 0.012
  });

  it('over pre-filtered candidates with m tests in all, rejects what the full procedure rejects', () => {
    // m = 6: 0.004 ≤ 0.05/6 and 0.012 ≤ 2·0.05/6 are rejected, 0.03 > 3·0.05/6 and no later one passes.
    const all = [0.5, 0.004, 0.012, 0.03, 0.9, 0.07];
    const full = benjaminiHochberg(all, 0.05);
    // Only p ≤ q were kept as candidates; m counts every test.
    const candidates = all.map((pValue, id) => ({ id, pValue })).filter((c) => c.pValue <= 0.05);
    const kept = benjaminiHochbergAmong(candidates, all.length, 0.05);
    assert.deepEqual(
      kept.map((c) => c.id).sort(),
      full.flatMap((r, id) => (r ? [id] : [])),
    );
    assert.deepEqual(
      kept.map((c) => c.id),
      [1, 2],
    );
    assert.deepEqual(
      kept.map((c) => c.pValue),
      [...kept.map((c) => c.pValue)].sort((a, b) => a - b),
      'smallest p first',
    );
  });

  it('rejects nothing when no p-value passes, ignores NaN', () => {
    assert.deepEqual(benjaminiHochberg([0.2, 0.3, 0.04], 0.05), [false, false, false]);
    assert.deepEqual(benjaminiHochberg([0.001, Number.NaN, 0.9], 0.05), [true, false, false]);
    assert.deepEqual(benjaminiHochberg([], 0.05), []);
  });

  it('adjusted p-values reject exactly where BH does', () => {
    const ps = [0.5, 0.035, 0.012, 0.03, 0.2];
    const adj = benjaminiHochbergAdjust(ps);
    close(adj[2] as number, (0.035 * 5) / 3, 1e-12, 'min(0.012·5/1, 0.03·5/2, 0.035·5/3)');
    for (const q of [0.01, 0.05, 0.06, 0.1, 0.5]) {
      assert.deepEqual(
        adj.map((a) => a <= q + 1e-15),
        benjaminiHochberg(ps, q),
        `q=${q}`,
      );
    }
  });
});

describe('sensitivities, scores and alarms', () => {
  it('maps sensitivities to 1e-4 / 1e-3 / 1e-2', () => {
    assert.deepEqual(FALSE_ALARM_RATE, { low: 1e-4, medium: 1e-3, high: 1e-2 });
    close(scoreThreshold('medium'), 0.999, 1e-15);
  });

  it('alarms exactly when the score crosses the threshold', () => {
    for (const p of [1, 0.5, 0.01, 0.0005, 0.00049, 1e-9]) {
      assert.equal(alarmFromPValue(p, 'medium'), scoreFromPValue(p) >= scoreThreshold('medium'), `p=${p}`);
    }
    assert.equal(alarmFromPValue(0.0005, 'medium'), true);
    assert.equal(alarmFromPValue(0.00051, 'medium'), false);
    assert.equal(scoreFromPValue(0.7), 0);
  });
});

describe('CUSUM calibration', () => {
  it('threshold h = ln(2/α): 9.90 / 7.60 / 5.30', () => {
    close(cusumThreshold('low'), 9.903487552536127, 1e-12);
    close(cusumThreshold('medium'), 7.600902459542082, 1e-12);
    close(cusumThreshold('high'), 5.298317366548036, 1e-12);
    assert.equal(alarmFromPValue(cusumPValue(cusumThreshold('medium') + 1e-9), 'medium'), true);
    assert.equal(alarmFromPValue(cusumPValue(cusumThreshold('medium') - 1e-6), 'medium'), false);
  });

  it("Siegmund's ARL: k = 0.5, h = 5 gives 938 (tables: 930)", () => {
    close(arlStandardCusum(5, 0.5), 938.2223641163949, 1e-6);
    close(standardCusumThreshold(938.2223641163949, 0.5), 5, 1e-8);
    // the LLR form is the standardised one with δ = √(2K): K = 0.125 ↔ k = 0.25, h_LLR = 0.5 h
    close(arlLlrCusum(0.5 * 4, 0.125), arlStandardCusum(4, 0.25), 1e-9);
    close(llrCusumThreshold(arlLlrCusum(7, 0.3), 0.3), 7, 1e-8);
    // Lorden: ARL₀ ≥ e^h for every K
    for (const kl of [0.01, 0.1, 1, 10]) assert.ok(arlLlrCusum(7.6, kl) >= Math.exp(7.6), `K=${kl}`);
  });

  it('the Ville bound P(S_t ≥ s) ≤ e^−s holds for a simulated Bernoulli LLR CUSUM', () => {
    // p0 = 0.3 vs p1 = 0.225, one trial per step: a walk with tiny steps, where the bound is nearly tight.
    const rand = mulberry32(7);
    const up = Math.log(0.225 / 0.3);
    const down = Math.log(0.775 / 0.7);
    let s = 0;
    let above3 = 0;
    let above5 = 0;
    const steps = 400_000;
    for (let i = 0; i < steps; i++) {
      s = Math.max(0, s + (rand() < 0.3 ? up : down));
      if (s >= 3) above3++;
      if (s >= 5) above5++;
    }
    assert.ok(above3 / steps <= Math.exp(-3), `P(S ≥ 3) = ${above3 / steps}`);
    assert.ok(above5 / steps <= Math.exp(-5), `P(S ≥ 5) = ${above5 / steps}`);
    // …and not absurdly loose here (within a factor 3)
    assert.ok(above3 / steps >= Math.exp(-3) / 3, `P(S ≥ 3) = ${above3 / steps}`);
  });
});

describe('p-value combination', () => {
  it('Fisher: two p = 0.05 give e^{−x/2}(1 + x/2) with x = −4 ln 0.05, = 0.0174787', () => {
    close(fisherCombine([0.05, 0.05]), 0.017478661367769956, 1e-12);
    close(fisherCombine([0.3]), 0.3, 1e-12);
  });

  it('Cauchy: equal p-values combine to themselves; (0.01, 0.5) → 0.0199803', () => {
    close(cauchyCombine([0.05, 0.05, 0.05]), 0.05, 1e-12);
    close(cauchyCombine([0.01, 0.5]), 0.01998029966405365, 1e-12);
    close(cauchyCombine([1e-20, 0.5, 0.5, 0.5]), 4e-20, 1e-30, 'one tiny p dominates (≈ m·p)');
    assert.ok(cauchyCombine([0.9, 0.95]) > 0.5, 'cauchyCombine([0.9, 0.95]) > 0.5');
  });

  it('Bonferroni min-p', () => {
    close(bonferroniMin([0.01, 0.2, 0.5]), 0.03, 1e-15);
    assert.equal(bonferroniMin([0.6, 0.7]), 1);
  });
});
