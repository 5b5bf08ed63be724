import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunnelscopeApi, JobOptions } from '../../shared/api';
import { API_METHODS, JOB_METHODS } from '../../shared/api-methods';
import { FunnelscopeError } from '../../shared/errors';
import { Activity, workspaceArgument } from '../../main/activity';
import { buildBridge, buildDialogBridge, type BridgeTransport } from '../../main/bridge';
import { dispatch, type DispatchContext } from '../../main/ipc-dispatch';
import {
  DIALOG_METHODS,
  dialogChannel,
  JOB_ARGUMENT,
  methodChannel,
  progressChannel,
  unwrap,
  type JobWire,
} from '../../main/ipc-protocol';

interface Recorded {
  method: string;
  args: unknown[];
}

/** An API whose every method records its call; job methods report progress twice; `settings.get` fails. */
function fakeApi(calls: Recorded[]): FunnelscopeApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const method of API_METHODS) {
    const [group, name] = method.split('.') as [string, string];
    (api[group] ??= {})[name] = async (...args: unknown[]) => {
      calls.push({ method, args });
      if (method === 'settings.get')
        throw new FunnelscopeError('WORKSPACE_NOT_FOUND', 'No workspace at /nowhere.', { path: '/nowhere' });
      const index = (JOB_ARGUMENT as Record<string, number>)[method];
      if (index !== undefined) {
        const job = args[index] as JobOptions<{ rowsRead: number }>;
        job.onProgress?.({ rowsRead: 1 });
        job.onProgress?.({ rowsRead: 2 });
      }
      return { method, echo: args[0] };
    };
  }
  return api as unknown as FunnelscopeApi;
}

/** The preload's bridge wired to the main side's dispatch, with IPC replaced by direct calls. */
function loopback() {
  const calls: Recorded[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const sent: string[] = [];
  const context: DispatchContext = {
    api: fakeApi(calls),
    activity: new Activity(),
    sendProgress(jobId, progress) {
      const channel = progressChannel(jobId);
      sent.push(channel);
      listeners.get(channel)?.(progress);
    },
  };
  const transport: BridgeTransport = {
    async invoke(channel, args) {
      const method = channel.replace(/^fs:/, '');
      assert.equal(methodChannel(method as (typeof API_METHODS)[number]), channel);
      // Structured clone, as IPC does: functions would throw here.
      return dispatch(context, method, structuredClone(args));
    },
    listen(channel, listener) {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
  };
  return { bridge: buildBridge(transport), calls, listeners, sent, context };
}

test('the bridge exposes exactly the methods of the contract', () => {
  const { bridge } = loopback();
  const exposed = Object.entries(bridge).flatMap(([group, methods]) =>
    Object.keys(methods as object).map((name) => `${group}.${name}`),
  );
  assert.deepEqual(exposed.sort(), [...API_METHODS].sort());
  for (const group of Object.values(bridge))
    for (const fn of Object.values(group as object)) assert.equal(typeof fn, 'function');
});

test('every job method has its JobOptions position declared', () => {
  assert.deepEqual(Object.keys(JOB_ARGUMENT).sort(), [...JOB_METHODS].sort());
});

test('a call crosses with its arguments and returns the value', async () => {
  const { bridge, calls } = loopback();
  const value = await bridge.workspace.info('/w/a.fscope');
  assert.deepEqual(value, { method: 'workspace.info', echo: '/w/a.fscope' });
  assert.deepEqual(calls, [{ method: 'workspace.info', args: ['/w/a.fscope'] }]);
});

test('a failure rejects with the plain {code, message, details} shape', async () => {
  const { bridge } = loopback();
  await assert.rejects(bridge.settings.get('/nowhere'), (error: unknown) => {
    assert.deepEqual(error, {
      code: 'WORKSPACE_NOT_FOUND',
      message: 'No workspace at /nowhere.',
      details: { path: '/nowhere' },
    });
    assert.ok(!(error instanceof Error), 'contextBridge would strip the code of an Error');
    return true;
  });
});

test('job progress travels on the job channel and the job id reaches the engine', async () => {
  const { bridge, calls, listeners } = loopback();
  const seen: unknown[] = [];
  await bridge.ingest.importFiles(
    '/w/a.fscope',
    ['/data/e.csv'],
    {},
    {
      jobId: 'import-1',
      onProgress: (p) => seen.push(p),
    },
  );
  assert.deepEqual(seen, [{ rowsRead: 1 }, { rowsRead: 2 }]);
  assert.equal(listeners.size, 0, 'the progress listener is removed when the call settles');
  const job = calls[0]?.args[3] as JobOptions<unknown>;
  assert.equal(job.jobId, 'import-1');
  assert.equal(typeof job.onProgress, 'function');
});

test('a job without options still gets an id and sends no progress', async () => {
  const { bridge, calls, sent } = loopback();
  await bridge.workspace.createDemo('/w/demo.fscope');
  const job = calls[0]?.args[2] as JobOptions<unknown>;
  assert.match(job.jobId ?? '', /^job-/);
  assert.equal(job.onProgress, undefined);
  assert.deepEqual(sent, []);
});

test('dispatch refuses malformed calls with BAD_ARGUMENT', async () => {
  const { context } = loopback();
  const bad = async (method: string, args: unknown) => {
    const reply = await dispatch(context, method, args);
    assert.equal(reply.ok, false);
    return reply.ok ? null : reply.error;
  };
  assert.equal((await bad('workspace.delete', ['/w']))?.code, 'BAD_ARGUMENT');
  assert.equal((await bad('workspace.info', 'not a list'))?.code, 'BAD_ARGUMENT');
  assert.equal((await bad('workspace.info', Array(20).fill('x')))?.code, 'BAD_ARGUMENT');
  assert.equal((await bad('ingest.importFiles', ['/w', ['/f'], {}, { jobId: 'x y' }]))?.code, 'BAD_ARGUMENT');
  assert.equal((await bad('ingest.importFiles', ['/w', ['/f'], {}]))?.code, 'BAD_ARGUMENT');
});

test('two running jobs cannot share an id', async () => {
  const { context } = loopback();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow = { ...context.api.ingest, importFiles: () => held.then(() => []) };
  const ctx = { ...context, api: { ...context.api, ingest: slow } };
  const wire: JobWire = { jobId: 'same', progress: false };
  const first = dispatch(ctx, 'ingest.importFiles', ['/w', ['/f'], {}, wire]);
  const second = await dispatch(ctx, 'ingest.importFiles', ['/w', ['/g'], {}, wire]);
  assert.equal(second.ok, false);
  assert.deepEqual(context.activity.runningJobs(), ['same']);
  release();
  assert.equal((await first).ok, true);
  assert.deepEqual(context.activity.runningJobs(), []);
});

test('unwrap turns a malformed reply into INTERNAL', () => {
  assert.throws(() => unwrap(undefined), { code: 'INTERNAL' });
  assert.throws(() => unwrap({ ok: false }), { code: 'INTERNAL' });
  assert.equal(unwrap({ ok: true, value: 3 }), 3);
});

test('activity knows the open workspaces, running jobs and when all calls are done', async () => {
  const activity = new Activity();
  assert.equal(workspaceArgument('ingest.preview', ['/data/e.csv']), null);
  assert.equal(workspaceArgument('jobs.cancel', ['job-1']), null);
  assert.equal(workspaceArgument('incidents.list', ['/w/a.fscope']), '/w/a.fscope');
  let finish: () => void = () => undefined;
  const job = activity.track(
    'ingest.importFiles',
    ['/w/a.fscope'],
    () => new Promise<void>((resolve) => (finish = resolve)),
    'j1',
  );
  await activity.track('workspace.info', ['/w/b.fscope'], async () => 1);
  assert.deepEqual(activity.openWorkspaces().sort(), ['/w/a.fscope', '/w/b.fscope']);
  assert.deepEqual(activity.runningJobs(), ['j1']);
  await activity.track('workspace.close', ['/w/b.fscope'], async () => undefined);
  assert.deepEqual(activity.openWorkspaces(), ['/w/a.fscope']);
  let idle = false;
  const waiting = activity.idle().then(() => (idle = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(idle, false);
  finish();
  await job;
  await waiting;
  assert.deepEqual(activity.runningJobs(), []);
  await assert.rejects(
    activity.track('workspace.info', ['/w/c.fscope'], async () => {
      throw new Error('boom');
    }),
  );
  await activity.idle();
});

test('the dialogs bridge calls one channel per dialog and unwraps the answer', async () => {
  const invoked: string[] = [];
  const dialogs = buildDialogBridge({
    async invoke(channel, args) {
      invoked.push(channel);
      assert.deepEqual(args, []);
      if (channel === dialogChannel('chooseImportFiles')) return { ok: true, value: ['/d/a.csv'] };
      if (channel === dialogChannel('createWorkspace'))
        return { ok: false, error: { code: 'INTERNAL', message: 'no window' } };
      return { ok: true, value: null };
    },
    listen: () => () => undefined,
  });
  assert.deepEqual(Object.keys(dialogs).sort(), [...DIALOG_METHODS].sort());
  assert.deepEqual(await dialogs.chooseImportFiles(), ['/d/a.csv']);
  assert.equal(await dialogs.openWorkspace(), null);
  await assert.rejects(dialogs.createWorkspace(), { code: 'INTERNAL' });
  assert.equal(invoked.length, 3);
});
