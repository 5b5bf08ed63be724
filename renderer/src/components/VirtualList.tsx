import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  /** Height of the visible area in pixels. */
  height: number;
  ariaLabel: string;
  getKey(item: T, index: number): string;
  renderRow(item: T, index: number, active: boolean): ReactNode;
  activeIndex: number | null;
  onActiveChange(index: number): void;
  /** Enter or double-click on a row. */
  onActivate?(item: T, index: number): void;
}

/** Rows drawn beyond the visible ones, so fast scrolling does not show blanks. */
const OVERSCAN = 8;

/**
 * A list that renders only the rows in view (fixed row height), so 100,000 rejected rows or incidents scroll
 * as smoothly as ten. Keyboard: arrows, Page Up/Down, Home/End move; Enter opens.
 */
export function VirtualList<T>(props: Props<T>) {
  const { items, rowHeight, height, activeIndex } = props;
  const id = useId();
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const pageRows = Math.max(1, Math.floor(height / rowHeight) - 1);

  // Keep the active row in view when it moves by keyboard (or is chosen from outside).
  useEffect(() => {
    const el = viewport.current;
    if (!el || activeIndex === null) return;
    const top = activeIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
  }, [activeIndex, rowHeight, height]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (items.length === 0) return;
    const current = activeIndex ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + pageRows,
      PageUp: current - pageRows,
      Home: 0,
      End: items.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      props.onActiveChange(Math.min(items.length - 1, Math.max(0, target)));
    } else if (event.key === 'Enter' && activeIndex !== null && items[activeIndex] !== undefined) {
      event.preventDefault();
      props.onActivate?.(items[activeIndex], activeIndex);
    }
  }

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as T;
    const active = index === activeIndex;
    rows.push(
      <div
        key={props.getKey(item, index)}
        id={`${id}-${index}`}
        role="option"
        aria-selected={active}
        className={`vrow${active ? ' active' : ''}${index % 2 ? ' odd' : ''}`}
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
        onClick={() => props.onActiveChange(index)}
        onDoubleClick={() => props.onActivate?.(item, index)}
      >
        {props.renderRow(item, index, active)}
      </div>,
    );
  }

  return (
    <div
      ref={viewport}
      className="vlist"
      role="listbox"
      tabIndex={0}
      aria-label={props.ariaLabel}
      aria-activedescendant={activeIndex !== null ? `${id}-${activeIndex}` : undefined}
      style={{ height }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
