import type { DimensionValues } from '../../../../shared/explore';
import type { MetricDefinition } from '../../../../shared/metrics';

export interface BreakdownSettings {
  metric: string;
  first: string;
  /** '' for a one-dimension breakdown. */
  second: string;
  minSessions: number;
}

interface Props {
  value: BreakdownSettings;
  onChange(value: BreakdownSettings): void;
  catalog: MetricDefinition[];
  dimensions: DimensionValues[];
  /** Dimensions already fixed by the drill-down. */
  fixed: string[];
  /** The metric breaks down by one dimension only (an imported table's). */
  singleDimension: boolean;
}

/** Metric, one or two dimensions, and the smallest cohort worth showing. */
export function BreakdownControls({ value, onChange, catalog, dimensions, fixed, singleDimension }: Props) {
  const free = dimensions.map((d) => d.dimension).filter((d) => !fixed.includes(d));
  const families = [...new Set(catalog.map((m) => m.family))];
  return (
    <div className="toolbar">
      <label className="field narrow">
        <span className="label">Metric</span>
        <select value={value.metric} onChange={(e) => onChange({ ...value, metric: e.target.value })}>
          {families.map((family) => (
            <optgroup key={family} label={family}>
              {catalog
                .filter((m) => m.family === family)
                .map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field narrow">
        <span className="label">Break down by</span>
        <select
          value={value.first}
          onChange={(e) =>
            onChange({
              ...value,
              first: e.target.value,
              second: value.second === e.target.value ? '' : value.second,
            })
          }
        >
          {free.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="field narrow">
        <span className="label">and by</span>
        <select
          value={value.second}
          disabled={singleDimension && value.second === ''}
          title={singleDimension ? 'This metric breaks down by one dimension at a time' : undefined}
          onChange={(e) => onChange({ ...value, second: e.target.value })}
        >
          <option value="">(nothing else)</option>
          {free
            .filter((d) => d !== value.first)
            .map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
        </select>
      </label>
      <label className="field narrow">
        <span className="label">Min. sessions</span>
        <input
          type="number"
          min={0}
          step={50}
          value={value.minSessions}
          onChange={(e) =>
            onChange({ ...value, minSessions: Math.max(0, Math.round(Number(e.target.value) || 0)) })
          }
        />
      </label>
    </div>
  );
}
