import { useState } from 'react';
import type { DigestFormat, DigestRequest } from '../../../../shared/alerts';
import { PathField } from '../../components/PathField';
import { defaultDigestPath } from './ruleForm';

type Scope = 'unread' | 1 | 7 | 30;
const DAY = 86_400_000;

interface Props {
  workspace: string;
  busy: boolean;
  onExport(request: DigestRequest): void;
}

/** Which alerts, in which format, to which file; From and To are the draft's placeholders (nothing is sent). */
export function DigestForm({ workspace, busy, onExport }: Props) {
  const [format, setFormat] = useState<DigestFormat>('eml');
  const [scope, setScope] = useState<Scope>('unread');
  const [to, setTo] = useState('');
  const [from, setFrom] = useState('');
  const [markRead, setMarkRead] = useState(false);
  const [out, setOut] = useState<string | null>(null);
  const path = out ?? defaultDigestPath(workspace, format);

  function submit() {
    const request: DigestRequest = { format, out: path.trim() };
    if (scope !== 'unread') {
      const now = Date.now();
      request.period = { from: now - scope * DAY, to: now + 60_000 };
    }
    if (format === 'eml' && to.trim()) request.to = to.trim();
    if (format === 'eml' && from.trim()) request.from = from.trim();
    if (markRead) request.markRead = true;
    onExport(request);
  }

  return (
    <form
      className="panel"
      aria-labelledby="digest-title"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="digest-title">Export a digest for stakeholders</h2>
      <p className="muted small">
        Masked like a report and scanned before it is written. An e-mail draft (.eml) opens in your mail
        program for you to send; Funnelscope sends nothing.
      </p>
      <div className="form-row">
        <label className="field narrow">
          <span className="label">Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as DigestFormat)}>
            <option value="eml">E-mail draft (.eml)</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <label className="field narrow">
          <span className="label">Alerts</span>
          <select
            value={String(scope)}
            onChange={(e) =>
              setScope(e.target.value === 'unread' ? 'unread' : (Number(e.target.value) as Scope))
            }
          >
            <option value="unread">Unread</option>
            <option value="1">Raised in the last day</option>
            <option value="7">Raised in the last 7 days</option>
            <option value="30">Raised in the last 30 days</option>
          </select>
        </label>
        {format === 'eml' && (
          <>
            <label className="field">
              <span className="label">To</span>
              <input
                type="text"
                value={to}
                placeholder="growth-team@example.com"
                autoComplete="off"
                onChange={(e) => setTo(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="label">From</span>
              <input
                type="text"
                value={from}
                placeholder="Funnelscope <funnelscope@localhost>"
                autoComplete="off"
                onChange={(e) => setFrom(e.target.value)}
              />
            </label>
          </>
        )}
      </div>
      <div className="form-row">
        <PathField label="Write the digest to" value={path} onChange={setOut} />
        <label className="inline">
          <input type="checkbox" checked={markRead} onChange={(e) => setMarkRead(e.target.checked)} /> Mark
          them read
        </label>
        <button type="submit" className="primary" disabled={busy || !path.trim()}>
          {busy ? 'Exporting…' : 'Export digest'}
        </button>
      </div>
    </form>
  );
}
