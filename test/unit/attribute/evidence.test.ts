import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupLeaves } from '../../../workers/attribute/cuboids';
import { deviationModel, fitNoise, type DeviationModel } from '../../../workers/attribute/deviation';
import { CuboidEvidence } from '../../../workers/attribute/evidence';
import { mulberry32 } from '../support/random';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

/** One cuboid over the leaves, grouping them by `groups` (leaf → element), with scores of noise σ = 0.1. */
function evidenceOf(groups: number[], deviation: number[], sign: -1 | 1 = 1) {
  const model: DeviationModel = {
    direction: sign < 0 ? 'down' : 'up',
    sign,
    deviation: Float64Array.from(deviation),
    weight: new Float64Array(deviation.length).fill(100),
    relativeNoise: 0.1,
    sizeNoise: 0,
  };
  const elements = groupLeaves([0], [Int32Array.from(groups)], [Math.max(...groups) + 1], groups.length);
  return new CuboidEvidence(
    elements,
    model,
    Float64Array.from(deviation, (d) => sign * d * 10),
  );
}

describe('cohort evidence', () => {
  it('scores a cohort whose leaves all moved by one factor as consistent and strong', () => {
    // Four leaves at −0.5 each, weight 100: W = 400, Σw·s·d = 200, z = 200/√400 = 10; no heterogeneity.
    const evidence = evidenceOf([0, 0, 0, 0], [-0.5, -0.5, -0.5, -0.5], -1).evidence(0);
    close(evidence.strength, 10);
    close(evidence.consistency, 1);
    close(evidence.significance, 10);
    close(evidence.valueGain, 20);
  });

  it('scores a parent of which half moved as half consistent and weaker than the half that moved', () => {
    // Element 0 = two leaves that moved by 1, element 1 = the same two plus two that did not.
    const half = evidenceOf([0, 0, 1, 1], [1, 1, 0, 0]);
    const parent = evidenceOf([0, 0, 0, 0], [1, 1, 0, 0]).evidence(0);
    // Parent: W = 400, Σw·d = 200, z = 10; Q = Σw·d² − (Σw·d)²/W = 200 − 100 = 100; excess 100 − 3 = 97.
    close(parent.strength, 10);
    close(parent.consistency, 100 / 197);
    // Significance shrinks by √(Q/(n − 1)) = √(100/3).
    close(parent.significance, 10 / Math.sqrt(100 / 3));
    // The two that moved: W = 200, z = 200/√200 = √200 ≈ 14.1 > 10.
    close(half.evidence(0).strength, Math.sqrt(200));
    close(half.evidence(0).consistency, 1);
  });

  it('forgets leaves set aside', () => {
    const cuboid = evidenceOf([0, 0, 0, 0], [1, 1, 0, 0]);
    cuboid.update(2, -1);
    cuboid.update(3, -1);
    close(cuboid.evidence(0).strength, Math.sqrt(200));
    assert.equal(cuboid.leaves(0), 2);
  });

  it('fits relative and size-dependent noise from the leaves that moved the other way', () => {
    const rand = mulberry32(7);
    const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
    const sizes: number[] = [];
    const scores: number[] = [];
    // Variance 0.05² + 4/m over sizes 10 … 10,000.
    for (let i = 0; i < 4000; i++) {
      const m = 10 * Math.pow(1000, rand());
      sizes.push(m);
      scores.push(normal() * Math.sqrt(0.0025 + 4 / m));
    }
    const { tau2, kappa } = fitNoise(sizes, scores);
    assert.ok(Math.abs(Math.sqrt(tau2) - 0.05) < 0.015, `τ = ${Math.sqrt(tau2)}`);
    assert.ok(Math.abs(kappa - 4) < 0.6, `κ = ${kappa}`);
  });

  it('reads the noise off the side opposite to the incident', () => {
    // Every leaf off by ±10%, except two that fell by half: the halves must not inflate the noise.
    const expected = Float64Array.from({ length: 40 }, () => 100);
    const actual = expected.map((e, i) => (i < 2 ? e / 2 : i % 2 ? e * 1.1 : e * 0.9));
    const model = deviationModel(actual, expected, -100);
    assert.equal(model.direction, 'down');
    // 2(110 − 100)/210 = 0.0952: every leaf on the up side deviates by exactly that much.
    close(model.relativeNoise, 0.0952381, 1e-6);
    close(model.sizeNoise, 0);
    // Whole numbers are counts: at least Poisson noise.
    assert.equal(deviationModel(actual.map(Math.round), expected, -100).sizeNoise >= 1, true);
  });

  it("scores a leaf that fell by its relative change and one that rose by RiskLoc's score", () => {
    // Fell 100 → 60: (60 − 100)/100 = −0.4 at size 100; rose 100 → 150: 2·50/250 = 0.4 at size 125;
    // vanished 0.5 → 0: −1 at size 0.5; appeared 0 → 3: 2 at size 1.5; nothing at all: no score.
    const model = deviationModel(
      Float64Array.from([60, 150, 0, 3, 0]),
      Float64Array.from([100, 100, 0.5, 0, 0]),
      -47.5,
    );
    for (const [i, d] of [-0.4, 0.4, -1, 2, 0].entries()) close(model.deviation[i]!, d);
    // Counts: κ is at least 1 (Poisson); the weight is 1/(τ² + κ/m).
    const { relativeNoise: tau, sizeNoise: kappa } = model;
    for (const [i, m] of [100, 125, 0.5, 1.5].entries()) close(model.weight[i]!, 1 / (tau * tau + kappa / m));
    assert.equal(model.weight[4], 0);
  });

  it('finds, among sparse leaves, the cohort whose rate halved and not the one that held', () => {
    // 200 leaves expecting 0.3 each: most see 0, a few 1 or 2, whatever happened to their cohort.
    const rand = mulberry32(11);
    const poisson = (lambda: number) => {
      let k = 0;
      for (let p = rand(), limit = Math.exp(-lambda); p > limit; p *= rand()) k++;
      return k;
    };
    const expected = new Float64Array(200).fill(0.3);
    const actual = expected.map((e, i) => poisson(i < 100 ? e * 0.5 : e));
    const model = deviationModel(actual, expected, -1, 'down');
    const groups = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
    const elements = groupLeaves([0], [Int32Array.from(groups)], [2], 200);
    const evidence = new CuboidEvidence(
      elements,
      model,
      actual.map((a, i) => expected[i]! - a),
    );
    // The half that fell by half stands out; the other half does not.
    assert.ok(evidence.strength(0) > 3, `${evidence.strength(0)}`);
    assert.ok(Math.abs(evidence.strength(1)) < 2, `${evidence.strength(1)}`);
  });
});
