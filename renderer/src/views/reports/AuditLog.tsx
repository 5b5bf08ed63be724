import type { AuditEntry } from '../../../../shared/reports';
import { DataTable, type Column } from '../../components/DataTable';
import { DateTime } from '../../components/DateTime';

const COLUMNS: Column<AuditEntry>[] = [
  {
    key: 'at',
    label: 'When',
    width: '9.5rem',
    render: (e) => <DateTime ms={Date.parse(e.at)} />,
    sortValue: (e) => Date.parse(e.at),
  },
  {
    key: 'action',
    label: 'Outcome',
    width: '6.5rem',
    render: (e) => (e.action === 'export' ? 'written' : <span className="error-text">refused</span>),
    sortValue: (e) => e.action,
  },
  {
    key: 'target',
    label: 'What',
    width: 'minmax(10rem, 1fr)',
    render: (e) => e.target,
    sortValue: (e) => e.target,
  },
  {
    key: 'file',
    label: 'File',
    width: 'minmax(10rem, 1.4fr)',
    render: (e) => <code title={e.file}>{e.file}</code>,
    sortValue: (e) => e.file,
  },
  {
    key: 'detail',
    label: 'Hash or reason',
    width: 'minmax(8rem, 1fr)',
    render: (e) => (e.sha256 ? <code title={e.sha256}>{e.sha256.slice(0, 12)}…</code> : (e.reason ?? '')),
  },
  { key: 'user', label: 'By', width: '6rem', render: (e) => e.osUser, sortValue: (e) => e.osUser },
];

/** Every export of this workspace, written or refused, with the masking policy it ran under. */
export function AuditLog({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0)
    return <p className="muted">Nothing has been exported from this workspace yet.</p>;
  return (
    <DataTable
      columns={COLUMNS}
      rows={entries}
      rowKey={(e) => String(e.id)}
      ariaLabel="Export audit log"
      height={300}
      initialSort={{ key: 'at', descending: true }}
    />
  );
}
