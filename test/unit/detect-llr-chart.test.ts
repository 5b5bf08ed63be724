import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LlrChart, stronger } from '../../workers/detect/llr-chart';

describe('LlrChart', () => {
  it('accumulates, floors at zero, caps, and remembers where its run began and peaked', () => {
    const chart = new LlrChart();
    const steps = [-1, 2, -0.5, 3, 4, -2, -1, -10, 1];
    const seen = steps.map((llr, i) => {
      chart.step(i, llr, 6);
      return [chart.value, chart.onset, chart.peak];
    });
    assert.deepEqual(seen, [
      [0, -1, -1], // floored at zero: no run
      [2, 1, 1], // the run begins
      [1.5, 1, 1],
      [4.5, 1, 3],
      [6, 1, 4], // capped
      [4, 1, 4],
      [3, 1, 4],
      [0, -1, -1], // back to zero: the run is over
      [1, 8, 8],
    ]);
  });

  it('with a tolerance, dates the onset at the last bucket within it of zero: a run that idled began later', () => {
    // A small count: stray events keep S just above zero for a while before the shift at bucket 4.
    const chart = new LlrChart(1);
    const exact = new LlrChart();
    for (const [i, llr] of [0.5, 0.4, -0.3, 0.2, 3, 3].entries()) {
      chart.step(i, llr, 20);
      exact.step(i, llr, 20);
    }
    // values 0.5, 0.9, 0.6, 0.8, 3.8, 6.8: the run began at 0, was last within 1 of zero at 3
    assert.equal(chart.onset, 3);
    assert.equal(exact.onset, 0, 'without a tolerance, the last zero');
  });

  it('the peak is taken on the uncapped sum: hovering at the cap after the shift does not move it', () => {
    const chart = new LlrChart();
    const values = [5, 5, -1, 0.5, 0.4].map((llr, i) => {
      chart.step(i, llr, 6);
      return chart.value;
    });
    // capped: 5, 6, 5, 5.5, 5.9; uncapped: 5, 10, 9, 9.5, 9.9 — the evidence peaked at bucket 1
    assert.deepEqual(values, [5, 6, 5, 5.5, 5.9]);
    assert.equal(chart.peak, 1);
    chart.step(5, 0.2, 6);
    assert.equal(chart.value, 6);
    assert.equal(chart.peak, 5, 'uncapped 10.1 passes the earlier 10');
  });

  it('a run held at the cap keeps moving its peak forward', () => {
    const chart = new LlrChart();
    for (let i = 0; i < 10; i++) chart.step(i, 5, 6);
    assert.equal(chart.onset, 0);
    assert.equal(chart.peak, 9);
    chart.reset();
    assert.deepEqual([chart.value, chart.onset, chart.peak], [0, -1, -1]);
  });

  it('stronger picks the larger statistic, the first on a tie', () => {
    const a = new LlrChart();
    const b = new LlrChart();
    a.step(0, 1, 10);
    b.step(0, 1, 10);
    assert.equal(stronger(a, b), a);
    b.step(1, 1, 10);
    assert.equal(stronger(a, b), b);
  });
});
