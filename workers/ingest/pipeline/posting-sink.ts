import type { RowSink } from '../../store/batch-insert';

/** Collects encoded rows of one batch in a plain array, then hands them over as a row-major Float64Array. */
export class PostingSink implements RowSink {
  readonly buffer: unknown[] = [];
  private filled = 0;
  private rows = 0;
  rowsWritten = 0;

  constructor(private readonly width: number) {}

  get offset(): number {
    return this.filled;
  }

  commitRow(): void {
    this.filled += this.width;
    this.rows++;
  }

  flush(): void {}

  /** The rows since the last call; null and undefined become NaN (NULL on the other side). */
  take(): { rows: number; data: Float64Array } {
    const data = new Float64Array(this.filled);
    const buffer = this.buffer;
    for (let i = 0; i < this.filled; i++) {
      const value = buffer[i];
      data[i] = typeof value === 'number' ? value : Number.NaN;
    }
    const rows = this.rows;
    this.rowsWritten += rows;
    this.filled = 0;
    this.rows = 0;
    return { rows, data };
  }
}
