import { useState } from 'react';
import type { Cohort, DimensionValues, TimeWindow } from '../../../../shared/explore';
import type { MetricDefinition } from '../../../../shared/metrics';
import { PeriodPicker } from '../../components/PeriodPicker';

export interface ReplayWindow {
  metric: string;
  cohort: Cohort;
  window: TimeWindow;
}

interface Props {
  catalog: MetricDefinition[];
  dimensions: DimensionValues[];
  initial: TimeWindow;
  onReplay(window: ReplayWindow): void;
}

/** A window of any metric and cohort, for replays that are not an incident (a suspected one, a promo). */
export function ReplayWindowForm({ catalog, dimensions, initial, onReplay }: Props) {
  const [metric, setMetric] = useState(catalog[0]?.name ?? '');
  const [dimension, setDimension] = useState('');
  const [value, setValue] = useState('');
  const [window, setWindow] = useState(initial);
  const values = dimensions.find((d) => d.dimension === dimension)?.values ?? [];
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        onReplay({ metric, cohort: dimension && value ? { [dimension]: value } : {}, window });
      }}
    >
      <label className="field narrow">
        <span className="label">Metric</span>
        <select value={metric} onChange={(e) => setMetric(e.target.value)}>
          {catalog.map((m) => (
            <option key={m.name} value={m.name}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field narrow">
        <span className="label">Cohort dimension</span>
        <select
          value={dimension}
          onChange={(e) => {
            setDimension(e.target.value);
            setValue('');
          }}
        >
          <option value="">All traffic</option>
          {dimensions.map((d) => (
            <option key={d.dimension} value={d.dimension}>
              {d.dimension}
            </option>
          ))}
        </select>
      </label>
      {dimension && (
        <label className="field narrow">
          <span className="label">Value</span>
          <select value={value} onChange={(e) => setValue(e.target.value)}>
            <option value="">(choose)</option>
            {values.map((v) => (
              <option key={v.value} value={v.value}>
                {v.value}
              </option>
            ))}
          </select>
        </label>
      )}
      <PeriodPicker value={window} onChange={setWindow} />
      <button type="submit" className="primary" disabled={!metric || (Boolean(dimension) && !value)}>
        Replay this window
      </button>
    </form>
  );
}
