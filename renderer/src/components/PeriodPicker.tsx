import { useState } from 'react';
import type { TimeWindow } from '../../../shared/explore';
import { DAY_MS } from '../format/dates';
import { zonedToEpoch } from '../format/zones';
import { useWorkspace } from '../state/workspace';

interface Props {
  value: TimeWindow;
  onChange(window: TimeWindow): void;
}

/** The whole span of the data, recent days, or chosen dates (days in the workspace's time zone). */
export function PeriodPicker({ value, onChange }: Props) {
  const { info, dates } = useWorkspace();
  const span = info.timeSpan;
  const [custom, setCustom] = useState({ from: dates.date(value.from), to: dates.date(value.to - 1) });
  if (!span) return null;
  const end = span.to + 1;
  const presets: { label: string; window: TimeWindow }[] = [
    { label: 'Whole period', window: { from: span.from, to: end } },
    { label: 'Last 7 days', window: { from: Math.max(span.from, end - 7 * DAY_MS), to: end } },
    { label: 'Last 24 hours', window: { from: Math.max(span.from, end - DAY_MS), to: end } },
  ];
  function applyCustom(next: { from: string; to: string }) {
    setCustom(next);
    const from = zonedToEpoch(next.from, dates.timeZone);
    const toDay = zonedToEpoch(next.to, dates.timeZone);
    if (from !== null && toDay !== null && toDay >= from) onChange({ from, to: toDay + DAY_MS });
  }
  return (
    <div className="period" role="group" aria-label="Period">
      {presets.map((p) => (
        <button
          key={p.label}
          type="button"
          className="toggle"
          aria-pressed={presets.find((q) => q.window.from === value.from && q.window.to === value.to) === p}
          onClick={() => {
            onChange(p.window);
            setCustom({ from: dates.date(p.window.from), to: dates.date(p.window.to - 1) });
          }}
        >
          {p.label}
        </button>
      ))}
      <label className="inline">
        From{' '}
        <input
          type="date"
          value={custom.from}
          onChange={(e) => applyCustom({ ...custom, from: e.target.value })}
        />
      </label>
      <label className="inline">
        to{' '}
        <input
          type="date"
          value={custom.to}
          onChange={(e) => applyCustom({ ...custom, to: e.target.value })}
        />
      </label>
    </div>
  );
}

/** The default period of a workspace: all of its data. */
export function wholePeriod(span: { from: number; to: number } | null): TimeWindow | null {
  return span ? { from: span.from, to: span.to + 1 } : null;
}
