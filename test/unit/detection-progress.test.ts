import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDetectionProgress } from '../../renderer/src/format/detection-progress';

test('detection progress moves forward through the stages and says what is being done', () => {
  assert.deepEqual(describeDetectionProgress(null), { fraction: null, label: 'Starting detection…' });
  const cube = describeDetectionProgress({ stage: 'cube', done: 0, total: 1, detail: '' });
  const firstCohorts = describeDetectionProgress({
    stage: 'detectors',
    done: 0,
    total: 8,
    detail: 'all traffic',
  });
  const lastCohorts = describeDetectionProgress({
    stage: 'detectors',
    done: 7,
    total: 8,
    detail: 'cohorts by os',
  });
  const grouping = describeDetectionProgress({
    stage: 'grouping',
    done: 10,
    total: 40,
    detail: 'localising incidents',
  });
  const saving = describeDetectionProgress({ stage: 'saving', done: 0, total: 1, detail: '' });
  const fractions = [cube, firstCohorts, lastCohorts, grouping, saving].map((p) => p.fraction as number);
  assert.deepEqual(
    [...fractions].sort((a, b) => a - b),
    fractions,
  );
  assert.ok(fractions.every((f) => f >= 0 && f <= 1));
  assert.equal(lastCohorts.label, 'Running the detectors: cohorts by os (8 of 8)');
  assert.equal(cube.label, 'Extending the metric cube');
});

test('a stage with no steps yet counts as its start', () => {
  const empty = describeDetectionProgress({
    stage: 'grouping',
    done: 0,
    total: 0,
    detail: 'localising incidents',
  });
  assert.equal(empty.fraction, 0.75);
});
