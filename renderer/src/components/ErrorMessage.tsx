import type { ErrorShape } from '../../../shared/errors';

/** What the analyst can do about an error, where the engine's message does not already say it. */
const NEXT_STEP: Partial<Record<ErrorShape['code'], string>> = {
  WORKSPACE_NOT_FOUND: 'Check the path, or create a new workspace there.',
  WORKSPACE_NEWER: 'Open it with the newer Funnelscope that wrote it.',
  WORKSPACE_INVALID: 'Choose a Funnelscope workspace (.fscope) file.',
  FILE_NOT_FOUND: 'Check the path of the file.',
  FORMAT_UNKNOWN: 'Funnelscope reads CSV, TSV, JSON Lines and Parquet, optionally gzip-compressed.',
  WORKER_CRASHED: 'Nothing was half-written. Run it again.',
  CANCELLED: 'Nothing was written. Start it again when you are ready.',
};

interface Props {
  error: ErrorShape;
  title?: string;
  onRetry?: () => void;
}

/** An engine error with its own message, its code, and the next step. */
export function ErrorMessage({ error, title = 'Something went wrong', onRetry }: Props) {
  const next = NEXT_STEP[error.code];
  return (
    <div className="error-message" role="alert">
      <strong>{title}</strong>
      <p className="error-text">{error.message}</p>
      {next && <p>{next}</p>}
      <p className="muted small">Code: {error.code}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
