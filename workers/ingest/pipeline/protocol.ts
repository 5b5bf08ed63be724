import type { ErrorShape } from '../../../shared/errors';
import type { Mapping, RejectedRow } from '../../../shared/ingest';

/**
 * The import of a large event file runs on two threads: an encode worker reads, parses, pseudonymises and
 * dictionary-encodes rows into typed arrays; the writer only maps local string ids to the workspace's and
 * inserts. These are the messages between them.
 */
export interface EncodeInit {
  file: string;
  delimiter?: string;
  mapping: Mapping;
  timeZone: string;
  /** Dimension columns stored as pseudonyms (PII-looking, not kept plain). */
  maskedColumns: string[];
  /** Columns blanked in rejected-row excerpts. */
  sensitiveColumns: string[];
  secret: Uint8Array;
}

/** New strings of a batch: dimension (or 'event_type'), the encoder's local id, the value. */
export type NewString = [dim: string, localId: number, value: string];

export type EncodeMessage =
  | { type: 'columns'; columns: string[] }
  | {
      type: 'batch';
      rows: number;
      /** Row-major, `rows × columns.length`; NaN is NULL. */
      data: Float64Array;
      strings: NewString[];
      rejected: RejectedRow[];
      rowsRead: number;
      bytesRead: number;
      timeFrom: number;
      timeTo: number;
    }
  | { type: 'done' }
  | { type: 'error'; error: ErrorShape };

/** The writer acknowledges each batch; the encoder keeps at most two unacknowledged (bounded memory). */
export interface AckMessage {
  type: 'ack';
}
