import { useState } from 'react';
import type { AlertEntry, DigestRequest, DigestResult } from '../../../../shared/alerts';
import type { ErrorShape } from '../../../../shared/errors';
import { api, errorShape } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { RunDetectionButton } from '../../components/RunDetectionButton';
import { useNavigate } from '../../state/route';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { AlertInbox } from './AlertInbox';
import { DigestForm } from './DigestForm';
import { DigestResultCard } from './DigestResultCard';

/** The inbox with its unread count, and the digest export. */
export function InboxPanel() {
  const { info } = useWorkspace();
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [version, setVersion] = useState(0);
  const inbox = useAsync(() => api().alerts.inbox(info.path), [info.path, version]);
  const [problem, setProblem] = useState<ErrorShape | null>(null);
  const [digest, setDigest] = useState<'idle' | 'running' | { result: DigestResult } | ErrorShape>('idle');

  async function setRead(entries: AlertEntry[], read: boolean) {
    setProblem(null);
    try {
      await api().alerts.markRead(
        info.path,
        entries.map((e) => e.id),
        read,
      );
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(errorShape(error));
    }
  }

  async function exportDigest(request: DigestRequest) {
    setDigest('running');
    try {
      setDigest({ result: await api().alerts.exportDigest(info.path, request) });
    } catch (error) {
      setDigest(errorShape(error));
    } finally {
      setVersion((v) => v + 1);
    }
  }

  const entries = inbox.state.status === 'ok' ? inbox.state.data : [];
  const unread = entries.filter((e) => !e.read);
  const shown = unreadOnly ? unread : entries;
  return (
    <>
      <div className="toolbar">
        <RunDetectionButton onDone={() => setVersion((v) => v + 1)} />
        <span role="status" className="muted">
          {unread.length} unread of {entries.length}
        </span>
        <label className="inline">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
          Unread only
        </label>
        <button type="button" disabled={unread.length === 0} onClick={() => void setRead(unread, true)}>
          Mark all read
        </button>
      </div>
      {problem && <ErrorMessage title="The inbox could not be changed" error={problem} />}
      {inbox.state.status === 'error' && (
        <ErrorMessage title="The inbox is unavailable" error={inbox.state.error} onRetry={inbox.reload} />
      )}
      {inbox.state.status === 'loading' && !('data' in inbox.state && inbox.state.data) && <Loading />}
      {inbox.state.status === 'ok' && shown.length === 0 && (
        <EmptyState title={entries.length === 0 ? 'No alert yet' : 'Nothing unread'}>
          <p className="muted">
            After each detection run, new incidents that match an enabled rule are filed here. Add or edit
            rules under Rules, then run detection.
          </p>
        </EmptyState>
      )}
      {shown.length > 0 && (
        <AlertInbox
          entries={shown}
          onOpen={(entry) => {
            if (!entry.read) void setRead([entry], true);
            navigate({ view: 'incidents', incidentId: entry.incidentId });
          }}
          onToggleRead={(entry) => void setRead([entry], !entry.read)}
        />
      )}
      <DigestForm workspace={info.path} busy={digest === 'running'} onExport={(r) => void exportDigest(r)} />
      {digest === 'running' && <Loading label="Writing and scanning the digest…" />}
      {typeof digest === 'object' && 'result' in digest && <DigestResultCard result={digest.result} />}
      {typeof digest === 'object' && 'code' in digest && (
        <ErrorMessage title="No digest was written" error={digest} />
      )}
    </>
  );
}
