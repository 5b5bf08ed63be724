import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobOptions } from '../../../shared/api';
import type { ErrorShape } from '../../../shared/errors';
import { api, errorShape, newJobId } from '../api';

export type JobState<P, R> =
  | { status: 'idle' }
  | { status: 'running'; progress: P | null; startedAt: number }
  | { status: 'done'; result: R }
  | { status: 'cancelled' }
  | { status: 'error'; error: ErrorShape };

/** Progress can arrive thousands of times a second; the screen needs it ten times. */
const REPAINT_MS = 100;

/** A long engine job with progress and a Cancel that really stops it (jobs.cancel rolls it back). */
export function useJob<P, R>(kind: string) {
  const [state, setState] = useState<JobState<P, R>>({ status: 'idle' });
  const jobId = useRef<string | null>(null);
  const latest = useRef<P | null>(null);
  const timer = useRef<number | null>(null);

  const stopTimer = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stopTimer, []);

  const start = useCallback(
    async (run: (job: JobOptions<P>) => Promise<R>): Promise<R | null> => {
      const id = newJobId(kind);
      jobId.current = id;
      latest.current = null;
      const startedAt = Date.now();
      setState({ status: 'running', progress: null, startedAt });
      stopTimer();
      timer.current = window.setInterval(() => {
        if (jobId.current === id) setState({ status: 'running', progress: latest.current, startedAt });
      }, REPAINT_MS);
      try {
        const result = await run({ jobId: id, onProgress: (p) => (latest.current = p) });
        if (jobId.current === id) setState({ status: 'done', result });
        return result;
      } catch (error) {
        const shape = errorShape(error);
        if (jobId.current === id)
          setState(shape.code === 'CANCELLED' ? { status: 'cancelled' } : { status: 'error', error: shape });
        return null;
      } finally {
        if (jobId.current === id) stopTimer();
      }
    },
    [kind],
  );

  const cancel = useCallback(async () => {
    if (jobId.current) await api().jobs.cancel(jobId.current);
  }, []);

  const reset = useCallback(() => {
    jobId.current = null;
    stopTimer();
    setState({ status: 'idle' });
  }, []);

  return { state, start, cancel, reset };
}
