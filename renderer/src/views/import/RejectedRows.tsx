import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { RejectedRow } from '../../../../shared/ingest';
import { api, errorShape } from '../../api';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInteger } from '../../format/numbers';
import { useWorkspace } from '../../state/workspace';

const PAGE = 5000;

const COLUMNS: Column<RejectedRow>[] = [
  {
    key: 'line',
    label: 'Line',
    width: '6rem',
    align: 'right',
    render: (r) => formatInteger(r.line),
    sortValue: (r) => r.line,
  },
  {
    key: 'reason',
    label: 'Reason',
    width: 'minmax(12rem, 1fr)',
    render: (r) => r.reason,
    sortValue: (r) => r.reason,
  },
  {
    key: 'excerpt',
    label: 'Row (identifiers masked)',
    width: 'minmax(16rem, 2fr)',
    render: (r) => (
      <code className="excerpt" title={r.excerpt}>
        {r.excerpt}
      </code>
    ),
  },
];

interface Props {
  sourceId: number;
  total: number;
  /** The first rows, returned with the import summary. */
  first: RejectedRow[];
}

/** Rejected rows with line and reason; all of them (stored in the workspace) can be paged in. */
export function RejectedRows({ sourceId, total, first }: Props) {
  const { info } = useWorkspace();
  const [rows, setRows] = useState(first);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  async function loadAll() {
    setLoading(true);
    setError(null);
    try {
      const all: RejectedRow[] = [];
      while (all.length < total) {
        const page = await api().ingest.rejectedRows(info.path, sourceId, PAGE, all.length);
        if (page.length === 0) break;
        all.push(...page);
        setRows([...all]);
      }
    } catch (e) {
      setError(errorShape(e));
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="rejected">
      <DataTable
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => String(r.line)}
        ariaLabel="Rejected rows"
        height={300}
        initialSort={{ key: 'line', descending: false }}
      />
      {rows.length < total && (
        <p>
          Showing {formatInteger(rows.length)} of {formatInteger(total)} rejected rows.{' '}
          <button type="button" onClick={() => void loadAll()} disabled={loading}>
            {loading ? 'Loading…' : 'Show all'}
          </button>
        </p>
      )}
      {error && <ErrorMessage title="The rejected rows could not be read" error={error} />}
    </div>
  );
}
