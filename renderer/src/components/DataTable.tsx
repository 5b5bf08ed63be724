import { useMemo, useState, type ReactNode } from 'react';
import { VirtualList } from './VirtualList';

export interface Column<T> {
  key: string;
  label: string;
  /** CSS grid track, e.g. "8rem" or "1fr". */
  width: string;
  render(row: T): ReactNode;
  /** Makes the column sortable. */
  sortValue?(row: T): number | string | null;
  align?: 'left' | 'right';
}

interface Props<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey(row: T, index: number): string;
  ariaLabel: string;
  height?: number;
  rowHeight?: number;
  initialSort?: { key: string; descending: boolean };
  activeKey?: string | null;
  onActiveChange?(row: T): void;
  onActivate?(row: T): void;
}

function compare(a: number | string | null, b: number | string | null): number {
  // Missing values sort last whatever the direction.
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** A sortable table whose body is a VirtualList: column headers sort, arrows move, Enter opens. */
export function DataTable<T>(props: Props<T>) {
  const { columns, rows, rowHeight = 34, height = 420 } = props;
  const [sort, setSort] = useState(props.initialSort ?? null);
  const [localActive, setLocalActive] = useState<number | null>(null);
  const template = columns.map((c) => c.width).join(' ');

  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    if (!column?.sortValue || !sort) return rows;
    const value = column.sortValue;
    const out = [...rows].sort((a, b) => compare(value(a), value(b)));
    if (sort.descending) {
      // Reverse the present values but keep missing ones last.
      const present = out.filter((r) => value(r) !== null).reverse();
      return [...present, ...out.filter((r) => value(r) === null)];
    }
    return out;
  }, [rows, sort, columns]);

  const activeIndex =
    props.activeKey !== undefined
      ? (() => {
          const i = sorted.findIndex((r, index) => props.rowKey(r, index) === props.activeKey);
          return i < 0 ? null : i;
        })()
      : localActive;

  return (
    <div className="table" style={{ ['--columns' as string]: template }}>
      <div className="thead" role="row">
        {columns.map((c) => {
          const sortedHere = sort?.key === c.key;
          const ariaSort = sortedHere ? (sort.descending ? 'descending' : 'ascending') : 'none';
          return (
            <div key={c.key} role="columnheader" aria-sort={ariaSort} className={`th ${c.align ?? 'left'}`}>
              {c.sortValue ? (
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    setSort({ key: c.key, descending: sortedHere ? !sort.descending : c.align === 'right' })
                  }
                >
                  {c.label}
                  {sortedHere ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
      <VirtualList
        items={sorted}
        rowHeight={rowHeight}
        height={Math.min(height, Math.max(rowHeight * 2, sorted.length * rowHeight + 2))}
        ariaLabel={props.ariaLabel}
        getKey={props.rowKey}
        activeIndex={activeIndex}
        onActiveChange={(index) => {
          setLocalActive(index);
          const row = sorted[index];
          if (row !== undefined) props.onActiveChange?.(row);
        }}
        onActivate={(row) => props.onActivate?.(row)}
        renderRow={(row) =>
          columns.map((c) => (
            <div key={c.key} className={`td ${c.align ?? 'left'}`}>
              {c.render(row)}
            </div>
          ))
        }
      />
    </div>
  );
}
