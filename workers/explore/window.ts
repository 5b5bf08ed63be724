import { FunnelscopeError } from '../../shared/errors';

const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

/**
 * Checks a time window: epoch-ms numbers with from < to. Queries count a bucket in the window when its
 * start lies in [from, to).
 */
export function checkWindow(
  window: { from?: unknown; to?: unknown },
  options: { optional?: boolean } = {},
): void {
  for (const end of ['from', 'to'] as const) {
    const value = window[end];
    if (value === undefined && options.optional) continue;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new FunnelscopeError(
        'BAD_ARGUMENT',
        `The window's "${end}" must be a time in epoch milliseconds${options.optional ? ' or left out' : ''}.`,
        { [end]: value },
      );
  }
  if (typeof window.from === 'number' && typeof window.to === 'number' && window.from >= window.to)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `The window is empty: "from" (${iso(window.from)}) must be before "to" (${iso(window.to)}).`,
      { from: window.from, to: window.to },
    );
}
