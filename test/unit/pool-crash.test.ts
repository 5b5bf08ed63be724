import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashMessage, defaultMemoryLimitMb } from '../../workers/pool/pool';

test('a crash message says what died, what happened to the data and what to do', () => {
  const writerKilled = crashMessage(
    { worker: 'writer.worker', outOfMemory: false, exitCode: 1, error: null },
    2048,
  );
  assert.match(writerKilled, /writes the workspace stopped unexpectedly \(exit code 1\)/);
  assert.match(writerKilled, /rolled back/);
  assert.match(writerKilled, /Run the job again\.$/);
  const readerOom = crashMessage(
    { worker: 'reader.worker', outOfMemory: true, exitCode: 1, error: null },
    2048,
  );
  assert.match(readerOom, /^A query thread ran out of memory \(limit 2048 MB\)/);
  assert.match(readerOom, /Nothing was changed\. Run the job again with a smaller file or period\.$/);
  const thrown = crashMessage(
    { worker: 'reader.worker', outOfMemory: false, exitCode: 1, error: 'boom' },
    2048,
  );
  assert.match(thrown, /crashed \(boom\)/);
});

test('each thread may use a quarter of the memory, between 1 and 4 GB', () => {
  const gb = 2 ** 30;
  assert.equal(defaultMemoryLimitMb(2 * gb), 1024);
  assert.equal(defaultMemoryLimitMb(8 * gb), 2048);
  assert.equal(defaultMemoryLimitMb(64 * gb), 4096);
});
