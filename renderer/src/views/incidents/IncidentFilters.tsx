import type { IncidentRecord, IncidentStatus } from '../../../../shared/explore';
import type { Severity } from '../../../../shared/incidents';
import { cohortLabel } from '../../format/cohort';
import { metricLabel } from '../../format/metric';
import { STATUS_LABEL } from '../../components/StatusBadge';

export interface IncidentFilterState {
  severities: Severity[];
  statuses: IncidentStatus[];
  metric: string;
  text: string;
}

export const DEFAULT_FILTER: IncidentFilterState = {
  severities: [],
  statuses: [],
  metric: '',
  text: '',
};

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const STATUSES: IncidentStatus[] = ['open', 'true_alarm', 'false_alarm', 'expected'];

export function applyFilter(incidents: IncidentRecord[], f: IncidentFilterState): IncidentRecord[] {
  const text = f.text.trim().toLowerCase();
  return incidents.filter(
    (i) =>
      (f.severities.length === 0 || f.severities.includes(i.severity)) &&
      (f.statuses.length === 0 || f.statuses.includes(i.status)) &&
      (!f.metric || i.metric === f.metric) &&
      (!text ||
        cohortLabel(i.cohort).toLowerCase().includes(text) ||
        metricLabel(i.metric).toLowerCase().includes(text)),
  );
}

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

interface Props {
  value: IncidentFilterState;
  onChange(value: IncidentFilterState): void;
  metrics: string[];
}

/** Severity and status toggles, metric and a cohort search; an empty group means "all". */
export function IncidentFilters({ value, onChange, metrics }: Props) {
  return (
    <div className="toolbar filters">
      <div role="group" aria-label="Severity">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            className={`toggle sev-${s}`}
            aria-pressed={value.severities.includes(s)}
            onClick={() => onChange({ ...value, severities: toggle(value.severities, s) })}
          >
            {s}
          </button>
        ))}
      </div>
      <div role="group" aria-label="Status">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className="toggle"
            aria-pressed={value.statuses.includes(s)}
            onClick={() => onChange({ ...value, statuses: toggle(value.statuses, s) })}
          >
            {STATUS_LABEL[s]}
          </button>
        ))}
      </div>
      <select
        aria-label="Metric"
        value={value.metric}
        onChange={(e) => onChange({ ...value, metric: e.target.value })}
      >
        <option value="">All metrics</option>
        {metrics.map((m) => (
          <option key={m} value={m}>
            {metricLabel(m)}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="Search cohort"
        placeholder="Cohort, e.g. country=US"
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.target.value })}
      />
    </div>
  );
}
