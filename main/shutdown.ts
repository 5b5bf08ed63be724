/** What the user chose when quitting while a job runs. */
export type QuitChoice = 'wait' | 'cancel' | 'stay';

export interface QuitPrompt {
  message: string;
  detail: string;
  buttons: string[];
  /** The choice of each button, in order. */
  choices: QuitChoice[];
  defaultId: number;
  cancelId: number;
}

/** The question asked at quit when jobs (imports, demo generation) are still running; null when none is. */
export function quitPrompt(runningJobs: number): QuitPrompt | null {
  if (runningJobs === 0) return null;
  const jobs = runningJobs === 1 ? 'A job is' : `${runningJobs} jobs are`;
  return {
    message: `${jobs} still running.`,
    detail:
      'Wait lets it finish, then quits. Cancel rolls it back, so the workspace stays as it was before the job, ' +
      'then quits.',
    buttons: ['Wait, then quit', 'Cancel it and quit', "Don't quit"],
    choices: ['wait', 'cancel', 'stay'],
    defaultId: 0,
    cancelId: 2,
  };
}

export interface ShutdownSteps {
  runningJobs(): string[];
  cancelJob(jobId: string): Promise<unknown>;
  /** Resolves when no engine call is in flight. */
  idle(): Promise<void>;
  openWorkspaces(): string[];
  /** Closes a workspace's connections, checkpointing its WAL into the database file. */
  closeWorkspace(path: string): Promise<void>;
  /** Stops the worker threads; a transaction still open then rolls back. */
  closePool(): Promise<void>;
  log(message: string): void;
}

export interface ShutdownOptions {
  cancelJobs: boolean;
  /** How long to wait for calls in flight (after a cancel they roll back within a batch). */
  settleMs: number;
  /** How long closing the workspaces may take before the threads are stopped anyway. */
  closeMs: number;
}

const TIMED_OUT = Symbol('timed out');

async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Graceful shutdown: cancel (or wait for) running jobs, let calls in flight settle, close every workspace so
 * its WAL is checkpointed, then stop the engine threads. Every step is bounded and logged, so quitting never
 * hangs; whatever a stopped thread had not committed rolls back, so the workspaces stay consistent.
 */
export async function shutdown(steps: ShutdownSteps, options: ShutdownOptions): Promise<void> {
  if (options.cancelJobs) {
    for (const jobId of steps.runningJobs()) {
      steps.log(`Cancelling job ${jobId} before quitting.`);
      await steps.cancelJob(jobId).catch((error) => steps.log(`Could not cancel ${jobId}: ${String(error)}`));
    }
  }
  if ((await within(steps.idle(), options.settleMs)) === TIMED_OUT)
    steps.log(`Calls were still running after ${options.settleMs} ms; they will be rolled back.`);

  const closing = Promise.all(
    steps
      .openWorkspaces()
      .map((path) =>
        steps.closeWorkspace(path).catch((error) => steps.log(`Could not close ${path}: ${String(error)}`)),
      ),
  );
  if ((await within(closing, options.closeMs)) === TIMED_OUT)
    steps.log(`Closing the workspaces took over ${options.closeMs} ms; stopping the engine anyway.`);

  await steps.closePool().catch((error) => steps.log(`Could not stop the engine: ${String(error)}`));
}
