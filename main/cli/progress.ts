import type { DetectionProgress } from '../../shared/incidents';
import type { ImportProgress } from '../../shared/ingest';

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(n);
}

/** One redrawn line on a terminal (stderr), nothing when stderr is not a terminal or output is JSON. */
export function progressBar(stream: NodeJS.WriteStream, enabled: boolean) {
  let drawn = false;
  return {
    update(p: ImportProgress) {
      if (!enabled) return;
      const share = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      const width = 24;
      const filled = Math.round(share * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const rows =
        p.phase === 'importing' || p.phase === 'finishing'
          ? ` ${compact(p.rowsRead)} rows, ${compact(p.rowsPerSecond)} rows/s`
          : '';
      const rejected = p.rowsRejected > 0 ? `, ${compact(p.rowsRejected)} rejected` : '';
      stream.write(`\r\x1b[2K${p.file} ${p.phase} ${bar} ${(share * 100).toFixed(0)}%${rows}${rejected}`);
      drawn = true;
    },
    detection(p: DetectionProgress) {
      if (!enabled) return;
      const steps = p.total > 1 ? ` (${p.done + 1} of ${p.total})` : '';
      stream.write(`\r\x1b[2KDetection: ${p.stage}${p.detail ? `, ${p.detail}` : ''}${steps}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
