import { useMemo, useState } from 'react';
import type { IncidentRecord } from '../../../../shared/explore';
import type { Severity } from '../../../../shared/incidents';
import { DataTable, type Column } from '../../components/DataTable';
import { DateTime } from '../../components/DateTime';
import { EmptyState } from '../../components/EmptyState';
import { SeverityBadge } from '../../components/SeverityBadge';
import { StatusBadge } from '../../components/StatusBadge';
import { cohortLabel } from '../../format/cohort';
import { formatDurationMs } from '../../format/dates';
import { metricLabel } from '../../format/metric';
import { formatInteger, formatMoney } from '../../format/numbers';
import { applyFilter, DEFAULT_FILTER, IncidentFilters } from './IncidentFilters';

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

const COLUMNS: Column<IncidentRecord>[] = [
  {
    key: 'severity',
    label: 'Severity',
    width: '6.5rem',
    render: (i) => <SeverityBadge severity={i.severity} />,
    sortValue: (i) => RANK[i.severity],
  },
  {
    key: 'metric',
    label: 'Metric',
    width: 'minmax(9rem, 1fr)',
    render: (i) => `${metricLabel(i.metric)} ${i.direction === 'down' ? '↓' : '↑'}`,
    sortValue: (i) => metricLabel(i.metric),
  },
  {
    key: 'cohort',
    label: 'Cohort',
    width: 'minmax(10rem, 1.4fr)',
    render: (i) => cohortLabel(i.cohort),
    sortValue: (i) => cohortLabel(i.cohort),
  },
  {
    key: 'detectedAt',
    label: 'Detected at',
    width: '9.5rem',
    render: (i) => <DateTime ms={Date.parse(i.detectedAt)} />,
    sortValue: (i) => Date.parse(i.detectedAt),
  },
  {
    key: 'duration',
    label: 'Lasted',
    width: '6.5rem',
    align: 'right',
    render: (i) => formatDurationMs(Date.parse(i.end) - Date.parse(i.start)),
    sortValue: (i) => Date.parse(i.end) - Date.parse(i.start),
  },
  {
    key: 'risk',
    label: 'Revenue at risk',
    width: '9.5rem',
    align: 'right',
    render: (i) => formatMoney(i.impact.revenueAtRisk),
    sortValue: (i) => i.impact.revenueAtRisk,
  },
  {
    key: 'lost',
    label: 'Lost conv.',
    width: '6.5rem',
    align: 'right',
    render: (i) => formatInteger(i.impact.lostConversions),
    sortValue: (i) => i.impact.lostConversions,
  },
  {
    key: 'status',
    label: 'Status',
    width: '7.5rem',
    render: (i) =>
      i.expected && i.status === 'open' ? (
        <span className="badge">Expected?</span>
      ) : (
        <StatusBadge status={i.status} />
      ),
    sortValue: (i) => i.status,
  },
];

interface Props {
  incidents: IncidentRecord[];
  onOpen(incident: IncidentRecord): void;
}

/** All incidents: filter, sort by any column, arrows to move, Enter to open. */
export function IncidentList({ incidents, onOpen }: Props) {
  const [filter, setFilter] = useState(DEFAULT_FILTER);
  const metrics = useMemo(() => [...new Set(incidents.map((i) => i.metric))].sort(), [incidents]);
  const shown = useMemo(() => applyFilter(incidents, filter), [incidents, filter]);
  return (
    <>
      <IncidentFilters value={filter} onChange={setFilter} metrics={metrics} />
      <p className="muted small" role="status">
        {formatInteger(shown.length)} of {formatInteger(incidents.length)} incidents. Arrow keys move, Enter
        opens.
      </p>
      {shown.length === 0 ? (
        <EmptyState title="No incident matches these filters">
          <button type="button" onClick={() => setFilter(DEFAULT_FILTER)}>
            Clear the filters
          </button>
        </EmptyState>
      ) : (
        <DataTable
          columns={COLUMNS}
          rows={shown}
          rowKey={(i) => i.id}
          ariaLabel="Incidents"
          height={560}
          initialSort={{ key: 'severity', descending: true }}
          onActivate={onOpen}
        />
      )}
    </>
  );
}
