import type { ApiMethodPath } from '../shared/api-methods';

/**
 * The workspace a call opens connections to, if any: the first argument of every method that takes a
 * workspace path. `ingest.preview` names a data file and `jobs.cancel` a job, not a workspace.
 */
export function workspaceArgument(method: ApiMethodPath, args: readonly unknown[]): string | null {
  if (method === 'ingest.preview' || method.startsWith('jobs.')) return null;
  const first = args[0];
  return typeof first === 'string' && first.length > 0 ? first : null;
}

/**
 * What the engine is doing on behalf of the window: calls in flight, running jobs by id, and the workspaces
 * that have connections open. Shutdown reads it to cancel jobs and close each workspace cleanly.
 */
export class Activity {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly jobs = new Set<string>();
  private readonly workspaces = new Set<string>();

  track<T>(
    method: ApiMethodPath,
    args: readonly unknown[],
    run: () => Promise<T>,
    jobId?: string,
  ): Promise<T> {
    const workspace = workspaceArgument(method, args);
    if (workspace && method === 'workspace.close') this.workspaces.delete(workspace);
    else if (workspace) this.workspaces.add(workspace);
    if (jobId) this.jobs.add(jobId);
    // `new Promise` turns a synchronous throw of `run` into a rejection too.
    const call: Promise<T> = new Promise<T>((resolve) => resolve(run())).finally(() => {
      this.inFlight.delete(call);
      if (jobId) this.jobs.delete(jobId);
    });
    this.inFlight.add(call);
    return call;
  }

  hasJob(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  runningJobs(): string[] {
    return [...this.jobs];
  }

  openWorkspaces(): string[] {
    return [...this.workspaces];
  }

  /** Resolves once no call is in flight, including calls started while waiting. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
