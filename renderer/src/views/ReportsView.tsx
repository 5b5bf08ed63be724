import { useState } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import type { ReportRequest, ReportResult } from '../../../shared/reports';
import { api, errorShape } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { wholePeriod } from '../components/PeriodPicker';
import { useAsync } from '../state/useAsync';
import { useWorkspace } from '../state/workspace';
import { AuditLog } from './reports/AuditLog';
import { ReportForm } from './reports/ReportForm';
import { ReportResultCard } from './reports/ReportResultCard';

/** Masked reports (executive or operational) and the audit log of every export. */
export function ReportsView({ incidentId }: { incidentId?: string }) {
  const { info, settings } = useWorkspace();
  const incidents = useAsync(() => api().incidents.list(info.path), [info.path]);
  const [version, setVersion] = useState(0);
  const audit = useAsync(() => api().reports.audit(info.path), [info.path, version]);
  const [state, setState] = useState<'idle' | 'running' | { result: ReportResult } | ErrorShape>('idle');

  async function exportReport(request: ReportRequest) {
    setState('running');
    try {
      setState({ result: await api().reports.export(info.path, request) });
    } catch (error) {
      setState(errorShape(error));
    } finally {
      setVersion((v) => v + 1);
    }
  }

  return (
    <div className="view">
      <header className="view-header">
        <h1>Reports</h1>
        <p className="muted">
          A report leaves the workspace without identifiers: pseudonyms are dropped, free text is redacted,
          cohorts with fewer than {settings?.reportMinUsers ?? 'k'} users are merged or left out, and the
          written bytes are scanned for personal data first. Every export is recorded below.
        </p>
      </header>
      {incidents.state.status === 'error' && (
        <ErrorMessage
          title="Incidents are unavailable"
          error={incidents.state.error}
          onRetry={incidents.reload}
        />
      )}
      {incidents.state.status === 'ok' ? (
        <ReportForm
          workspace={info.path}
          incidents={incidents.state.data}
          period={wholePeriod(info.timeSpan)}
          busy={state === 'running'}
          onExport={(request) => void exportReport(request)}
          {...(incidentId ? { initialIncident: incidentId } : {})}
        />
      ) : (
        incidents.state.status !== 'error' && <Loading />
      )}
      {state === 'running' && <Loading label="Writing and scanning the report…" />}
      {typeof state === 'object' && 'result' in state && <ReportResultCard result={state.result} />}
      {typeof state === 'object' && 'code' in state && (
        <ErrorMessage title="No report was written" error={state} />
      )}
      <section className="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">Export audit log</h2>
        {audit.state.status === 'error' && (
          <ErrorMessage
            title="The audit log is unavailable"
            error={audit.state.error}
            onRetry={audit.reload}
          />
        )}
        {audit.state.status === 'ok' && <AuditLog entries={audit.state.data} />}
      </section>
    </div>
  );
}
