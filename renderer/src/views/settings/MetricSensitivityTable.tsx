import type { SensitivityLevel } from '../../../../shared/incidents';
import type { MetricDefinition } from '../../../../shared/metrics';

interface Props {
  catalog: MetricDefinition[];
  value: Record<string, SensitivityLevel>;
  onChange(value: Record<string, SensitivityLevel>): void;
}

/** Per-metric overrides of the global sensitivity; "global" removes the override. */
export function MetricSensitivityTable({ catalog, value, onChange }: Props) {
  return (
    <table className="plain" aria-label="Sensitivity per metric">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Sensitivity</th>
        </tr>
      </thead>
      <tbody>
        {catalog.map((m) => (
          <tr key={m.name}>
            <td>{m.label}</td>
            <td>
              <select
                aria-label={`Sensitivity of ${m.label}`}
                value={value[m.name] ?? ''}
                onChange={(e) => {
                  const next = { ...value };
                  if (e.target.value) next[m.name] = e.target.value as SensitivityLevel;
                  else delete next[m.name];
                  onChange(next);
                }}
              >
                <option value="">global</option>
                <option value="low">low</option>
                <option value="medium">medium</option>
                <option value="high">high</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
