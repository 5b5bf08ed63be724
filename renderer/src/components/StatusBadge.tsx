import type { IncidentStatus } from '../../../shared/explore';

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: 'Open',
  true_alarm: 'True alarm',
  false_alarm: 'False alarm',
  expected: 'Expected',
};

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}
