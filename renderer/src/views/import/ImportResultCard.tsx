import type { ImportResult } from '../../../../shared/ingest';
import { isImportFailure } from '../../../../shared/ingest';
import { DateTime } from '../../components/DateTime';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInteger } from '../../format/numbers';
import { RejectedRows } from './RejectedRows';

/** One file's outcome: counts, span, rejected rows with reasons — or why the file was refused. */
export function ImportResultCard({ result }: { result: ImportResult }) {
  if (isImportFailure(result))
    return (
      <section className="panel" aria-label={`Result of ${result.file}`}>
        <h3 className="file-name">{result.file}</h3>
        <ErrorMessage
          title={result.error.code === 'CANCELLED' ? 'Not imported: cancelled' : 'This file was not imported'}
          error={result.error}
        />
      </section>
    );
  const reasons = Object.entries(result.rejectedReasons).sort((a, b) => b[1] - a[1]);
  return (
    <section className="panel" aria-label={`Result of ${result.file}`}>
      <h3 className="file-name">{result.file}</h3>
      {result.status === 'already_imported' ? (
        <p role="status">This file was imported before (same SHA-256); nothing was added.</p>
      ) : (
        <p role="status">
          Imported <strong data-testid="rows-imported">{formatInteger(result.rowsImported)}</strong> of{' '}
          {formatInteger(result.rowsRead)} rows in {(result.durationMs / 1000).toFixed(1)} s
          {result.rowsRejected > 0 && (
            <>
              ; <strong data-testid="rows-rejected">{formatInteger(result.rowsRejected)}</strong> rejected
            </>
          )}
          .
        </p>
      )}
      <dl className="facts inline">
        <dt>Format</dt>
        <dd>
          {result.format.toUpperCase()}, {result.shape.replace('_', ' ')}, preset {result.preset}
        </dd>
        {result.timeSpan && (
          <>
            <dt>Period</dt>
            <dd>
              <DateTime ms={result.timeSpan.from} /> – <DateTime ms={result.timeSpan.to} />
            </dd>
          </>
        )}
        {result.pii.length > 0 && (
          <>
            <dt>Masked</dt>
            <dd>{result.pii.map((p) => `${p.column} (${p.action.replace('_', ' ')})`).join(', ')}</dd>
          </>
        )}
      </dl>
      {result.notes.length > 0 && (
        <ul className="notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {reasons.length > 0 && (
        <>
          <h4>Why rows were rejected</h4>
          <ul className="reasons">
            {reasons.map(([reason, count]) => (
              <li key={reason}>
                {formatInteger(count)} × {reason}
              </li>
            ))}
          </ul>
          <RejectedRows sourceId={result.sourceId} total={result.rowsRejected} first={result.rejected} />
        </>
      )}
    </section>
  );
}
