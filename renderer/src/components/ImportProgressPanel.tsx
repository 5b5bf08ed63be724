import type { ImportProgress } from '../../../shared/ingest';
import { formatBytes, formatInteger, formatRowsPerSecond } from '../format/numbers';
import { ProgressBar } from './ProgressBar';

const PHASES: Record<ImportProgress['phase'], string> = {
  hashing: 'Checking whether the file was imported before',
  inspecting: 'Detecting the format and columns',
  importing: 'Importing',
  finishing: 'Finishing (updating the metric cube)',
};

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

interface Props {
  progress: ImportProgress | null;
  startedAt: number;
  onCancel(): void;
  title: string;
}

/** Where a running import is: file, phase, bytes, rows, rows/s and rejects, with Cancel. */
export function ImportProgressPanel({ progress, startedAt, onCancel, title }: Props) {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesRead / progress.bytesTotal : null;
  return (
    <section className="panel" aria-label={title}>
      <h3>{title}</h3>
      <ProgressBar
        fraction={fraction}
        label={progress ? `${PHASES[progress.phase]} ${baseName(progress.file)}` : 'Starting…'}
      />
      {progress && (
        <dl className="facts">
          <dt>Rows read</dt>
          <dd data-testid="rows-read">{formatInteger(progress.rowsRead)}</dd>
          <dt>Speed</dt>
          <dd>{formatRowsPerSecond(progress.rowsPerSecond)}</dd>
          <dt>Rejected</dt>
          <dd>{formatInteger(progress.rowsRejected)}</dd>
          <dt>Read</dt>
          <dd>
            {formatBytes(progress.bytesRead)} of {formatBytes(progress.bytesTotal)}
          </dd>
          <dt>Elapsed</dt>
          <dd>{seconds} s</dd>
        </dl>
      )}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <p className="hint">Cancelling rolls the file back: nothing half-imported is left in the workspace.</p>
    </section>
  );
}
