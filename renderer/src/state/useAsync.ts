import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import { errorShape } from '../api';

export type AsyncState<T> =
  /** Nothing to load (its inputs are not there yet). */
  | { status: 'idle' }
  | { status: 'loading'; data?: T }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: ErrorShape; data?: T };

/**
 * Runs an API call when its inputs change and keeps only the answer to the latest one, so a slow earlier
 * answer cannot overwrite a newer one. `reload` runs it again with the same inputs.
 */
export function useAsync<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]) {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    if (!load) {
      setState({ status: 'idle' });
      return;
    }
    setState((previous) => ({
      status: 'loading',
      // Keep showing the previous answer while the new one loads.
      ...('data' in previous && previous.data !== undefined ? { data: previous.data } : {}),
    }));
    load().then(
      (data) => ticket === latest.current && setState({ status: 'ok', data }),
      (error: unknown) =>
        ticket === latest.current && setState({ status: 'error', error: errorShape(error) }),
    );
    // The caller lists the inputs of `load` in deps (load itself is a new closure on every render).
  }, [...deps, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { state, reload, setState };
}
