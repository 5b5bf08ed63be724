import { useMemo } from 'react';
import type { BreakdownRow, Cohort } from '../../../../shared/explore';
import type { MetricDefinition } from '../../../../shared/metrics';
import { DataTable, type Column } from '../../components/DataTable';
import { cohortKey } from '../../format/cohort';
import { formatChange, formatInteger, formatMetric } from '../../format/numbers';

interface Props {
  rows: BreakdownRow[];
  dimensions: string[];
  metric: MetricDefinition;
  compared: Cohort[];
  onToggleCompare(cohort: Cohort): void;
  onDrill(cohort: Cohort): void;
}

/** Every cohort of the breakdown, sortable; Enter drills in, the checkbox picks cohorts to compare. */
export function BreakdownTable({ rows, dimensions, metric, compared, onToggleCompare, onDrill }: Props) {
  const comparedKeys = new Set(compared.map(cohortKey));
  const columns = useMemo<Column<BreakdownRow>[]>(
    () => [
      {
        key: 'compare',
        label: 'Compare',
        width: '6.5rem',
        render: (r) => (
          <input
            type="checkbox"
            aria-label={`Compare ${Object.values(r.cohort).join(' ')}`}
            checked={comparedKeys.has(cohortKey(r.cohort))}
            onChange={() => onToggleCompare(r.cohort)}
            onClick={(e) => e.stopPropagation()}
          />
        ),
      },
      ...dimensions.map<Column<BreakdownRow>>((d) => ({
        key: `dim-${d}`,
        label: d,
        width: 'minmax(8rem, 1fr)',
        render: (r) => r.cohort[d] ?? '—',
        sortValue: (r) => r.cohort[d] ?? null,
      })),
      {
        key: 'value',
        label: metric.label,
        width: '10.5rem',
        align: 'right',
        render: (r) => formatMetric(r.value, metric.unit),
        sortValue: (r) => r.value,
      },
      {
        key: 'change',
        label: 'vs. before',
        width: '7rem',
        align: 'right',
        render: (r) => formatChange(r.value, r.previous),
        sortValue: (r) =>
          r.value === null || r.previous === null || r.previous === 0
            ? null
            : (r.value - r.previous) / Math.abs(r.previous),
      },
      ...(metric.kind === 'ratio'
        ? [
            {
              key: 'num',
              label: 'Numerator',
              width: '7rem',
              align: 'right' as const,
              render: (r: BreakdownRow) => formatInteger(r.numerator),
              sortValue: (r: BreakdownRow) => r.numerator,
            },
            {
              key: 'den',
              label: 'Denominator',
              width: '8.5rem',
              align: 'right' as const,
              render: (r: BreakdownRow) => formatInteger(r.denominator),
              sortValue: (r: BreakdownRow) => r.denominator,
            },
          ]
        : []),
      {
        key: 'sessions',
        label: 'Sessions',
        width: '7rem',
        align: 'right',
        render: (r) => formatInteger(r.sessions),
        sortValue: (r) => r.sessions,
      },
    ],
    // comparedKeys is derived from compared
    [dimensions, metric, compared, onToggleCompare],
  );
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(r) => cohortKey(r.cohort)}
      ariaLabel="Breakdown"
      height={380}
      initialSort={{ key: 'sessions', descending: true }}
      onActivate={(r) => onDrill(r.cohort)}
    />
  );
}
