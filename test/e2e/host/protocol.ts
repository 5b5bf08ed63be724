import type { ErrorShape } from '../../../shared/errors';
import type { ApiMethodPath } from '../../../shared/api-methods';

/**
 * The messages of the e2e host's loopback WebSocket. A call names one method of the contract; a job method's
 * `JobOptions` argument cannot cross as JSON (it holds a callback), so the client sends where it was and the
 * host puts a callback there that turns progress into `progress` messages.
 */
export interface CallMessage {
  type: 'call';
  id: number;
  method: ApiMethodPath;
  args: unknown[];
  /** Present when the call was given `JobOptions`: its position in `args`, its job id, and whether to report progress. */
  job?: { index: number; jobId?: string; progress: boolean };
}

export type HostMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: ErrorShape }
  | { type: 'progress'; id: number; progress: unknown };

/** Path of the WebSocket endpoint and of the client script, both served only by the host. */
export const API_PATH = '/__funnelscope/api';
export const CLIENT_PATH = '/__funnelscope/client.js';
