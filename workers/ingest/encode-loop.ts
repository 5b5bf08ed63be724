import type { RejectedRow } from '../../shared/ingest';
import type { RowEncoder } from './encoders';
import type { CancelCheck, OpenedFile } from './read/types';
import type { RejectMasker } from './reject-mask';

export interface EncodedBatch {
  /** Rows the reader or the encoder refused in this batch, with masked excerpts. */
  rejected: RejectedRow[];
  /** Rows read so far, refused ones included. */
  rowsRead: number;
  bytesRead: number;
}

/** Streams a file through an encoder, one reader batch at a time; shared by the one- and two-thread imports. */
export async function* encodeBatches(
  file: OpenedFile,
  encoder: RowEncoder,
  masker: RejectMasker,
  isCancelled: CancelCheck,
): AsyncGenerator<EncodedBatch> {
  let rowsRead = 0;
  for await (const batch of file.batches(isCancelled)) {
    const rejected: RejectedRow[] = batch.rejected.map((bad) => ({
      line: bad.line,
      reason: bad.reason,
      excerpt: masker.raw(bad.raw),
    }));
    const { records, lines } = batch;
    for (let i = 0; i < records.length; i++) {
      const reason = encoder.encode(records[i]);
      if (reason !== null)
        rejected.push({ line: lines[i] as number, reason, excerpt: masker.record(records[i]) });
    }
    rowsRead += batch.rejected.length + records.length;
    yield { rejected, rowsRead, bytesRead: batch.bytesRead };
  }
}
