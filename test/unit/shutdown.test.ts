import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quitPrompt, shutdown, type ShutdownSteps } from '../../main/shutdown';

function fakeSteps(overrides: Partial<ShutdownSteps> = {}) {
  const events: string[] = [];
  const steps: ShutdownSteps = {
    runningJobs: () => ['j1', 'j2'],
    cancelJob: async (id) => events.push(`cancel ${id}`),
    idle: async () => {
      events.push('idle');
    },
    openWorkspaces: () => ['/w/a.fscope', '/w/b.fscope'],
    closeWorkspace: async (path) => {
      events.push(`close ${path}`);
    },
    closePool: async () => {
      events.push('pool');
    },
    log: (message) => events.push(`log ${message}`),
    ...overrides,
  };
  return { steps, events };
}

test('no question at quit when nothing runs', () => {
  assert.equal(quitPrompt(0), null);
  const prompt = quitPrompt(2);
  assert.ok(prompt);
  assert.match(prompt.message, /2 jobs are still running/);
  assert.equal(prompt.buttons.length, prompt.choices.length);
  assert.equal(prompt.choices[prompt.cancelId], 'stay');
});

test('cancel, settle, close each workspace, then stop the engine', async () => {
  const { steps, events } = fakeSteps();
  await shutdown(steps, { cancelJobs: true, settleMs: 1000, closeMs: 1000 });
  const order = events.filter((e) => !e.startsWith('log'));
  assert.deepEqual(order, [
    'cancel j1',
    'cancel j2',
    'idle',
    'close /w/a.fscope',
    'close /w/b.fscope',
    'pool',
  ]);
});

test('waiting for jobs does not cancel them', async () => {
  const { steps, events } = fakeSteps();
  await shutdown(steps, { cancelJobs: false, settleMs: 1000, closeMs: 1000 });
  assert.ok(!events.some((e) => e.startsWith('cancel')));
  assert.equal(events.at(-1), 'pool');
});

test('a hanging step or a failing close never blocks quitting', async () => {
  const { steps, events } = fakeSteps({
    idle: () => new Promise(() => undefined),
    closeWorkspace: async (path) => {
      if (path.endsWith('a.fscope')) throw new Error('disk gone');
      await new Promise(() => undefined);
    },
    cancelJob: async () => {
      throw new Error('already finished');
    },
  });
  await shutdown(steps, { cancelJobs: true, settleMs: 20, closeMs: 20 });
  assert.equal(events.at(-1), 'pool');
  assert.ok(events.some((e) => /Could not close \/w\/a\.fscope: Error: disk gone/.test(e)));
  assert.ok(events.some((e) => /still running after 20 ms/.test(e)));
  assert.ok(events.some((e) => /stopping the engine anyway/.test(e)));
});
