/**
 * Errors cross every boundary (worker → main → renderer, CLI) as plain `{code, message, details}` so the UI
 * and the CLI can act on the code. Messages are written for the analyst: what is wrong and what to do next.
 */
export const ERROR_CODES = [
  'WORKSPACE_NOT_FOUND',
  'WORKSPACE_NEWER',
  'WORKSPACE_INVALID',
  'WORKSPACE_KEY_MISMATCH',
  'FILE_NOT_FOUND',
  'FILE_EMPTY',
  'FILE_BINARY',
  'FILE_ENCODING',
  'FILE_COMPRESSION',
  'FILE_TRUNCATED',
  'FORMAT_UNKNOWN',
  'SHAPE_UNKNOWN',
  'MAPPING_INVALID',
  'PII_PLAIN_COLUMN',
  'NO_VALID_ROWS',
  'CANCELLED',
  'WORKER_CRASHED',
  'BAD_ARGUMENT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class FunnelscopeError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'FunnelscopeError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorShape {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into the wire shape; unknown errors become INTERNAL with their message kept. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof FunnelscopeError) return error.toJSON();
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    isErrorCode(error.code) &&
    'message' in error
  ) {
    const shape: ErrorShape = { code: error.code, message: String(error.message) };
    if ('details' in error && error.details && typeof error.details === 'object')
      shape.details = error.details as Record<string, unknown>;
    return shape;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export function fromErrorShape(shape: ErrorShape): FunnelscopeError {
  return new FunnelscopeError(shape.code, shape.message, shape.details);
}
