import { useState } from 'react';
import type { IncidentRecord, TimeWindow } from '../../../../shared/explore';
import {
  REPORT_FORMATS,
  REPORT_TEMPLATES,
  type ReportFormat,
  type ReportRequest,
  type ReportTemplate,
} from '../../../../shared/reports';
import { PathField } from '../../components/PathField';
import { PeriodPicker } from '../../components/PeriodPicker';
import { cohortPhrase } from '../../format/cohort';
import { metricLabel } from '../../format/metric';
import { defaultReportPath } from './reportPath';

type Scope = 'all' | 'period' | 'incident';

const TEMPLATE_TEXT: Record<ReportTemplate, string> = {
  executive: 'Executive: what happened and what it cost, in a page or two',
  operational: 'Operational: every incident with its evidence, cohorts and series',
};

interface Props {
  workspace: string;
  incidents: IncidentRecord[];
  period: TimeWindow | null;
  initialIncident?: string;
  busy: boolean;
  onExport(request: ReportRequest): void;
}

/** What to export (template, format, incidents) and where. */
export function ReportForm({ workspace, incidents, period, initialIncident, busy, onExport }: Props) {
  const [template, setTemplate] = useState<ReportTemplate>('executive');
  const [format, setFormat] = useState<ReportFormat>('html');
  const [scope, setScope] = useState<Scope>(initialIncident ? 'incident' : 'all');
  const [incident, setIncident] = useState(initialIncident ?? incidents[0]?.id ?? '');
  const [window, setWindow] = useState<TimeWindow | null>(period);
  const [out, setOut] = useState<string | null>(null);
  const path = out ?? defaultReportPath(workspace, template, format);

  function submit() {
    const request: ReportRequest = { template, format, out: path.trim() };
    if (scope === 'incident' && incident) request.incident = incident;
    if (scope === 'period' && window) {
      request.from = window.from;
      request.to = window.to;
    }
    onExport(request);
  }

  return (
    <form
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div role="radiogroup" aria-label="Template" className="radios column">
        {REPORT_TEMPLATES.map((t) => (
          <label key={t} className="inline">
            <input type="radio" name="template" checked={template === t} onChange={() => setTemplate(t)} />{' '}
            {TEMPLATE_TEXT[t]}
          </label>
        ))}
      </div>
      <div className="form-row">
        <label className="field narrow">
          <span className="label">Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
            {REPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          <span className="label">Incidents</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="all">All in the workspace</option>
            <option value="period">Starting in a period</option>
            <option value="incident" disabled={incidents.length === 0}>
              One incident
            </option>
          </select>
        </label>
        {scope === 'incident' && (
          <label className="field">
            <span className="label">Incident</span>
            <select
              value={incident}
              onChange={(e) => setIncident(e.target.value)}
              aria-label="Incident to report"
            >
              {incidents.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.severity} · {metricLabel(i.metric)} {i.direction} in {cohortPhrase(i.cohort)} ·{' '}
                  {i.start.slice(0, 16).replace('T', ' ')} UTC
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {scope === 'period' && window && <PeriodPicker value={window} onChange={setWindow} />}
      <div className="form-row">
        <PathField label="Write the report to" value={path} onChange={setOut} />
        <button type="submit" className="primary" disabled={busy || !path.trim()}>
          {busy ? 'Exporting…' : 'Export masked report'}
        </button>
      </div>
      {format === 'csv' && (
        <p className="hint">CSV writes one file per table, beside this one (name.table.csv).</p>
      )}
    </form>
  );
}
