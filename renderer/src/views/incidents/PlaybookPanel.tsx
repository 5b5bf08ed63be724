import type { IncidentRecord } from '../../../../shared/explore';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useNavigate } from '../../state/route';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';

/** What to check and do for an incident of this kind: the workspace's playbook (edited or built-in). */
export function PlaybookPanel({ incident }: { incident: IncidentRecord }) {
  const { info } = useWorkspace();
  const navigate = useNavigate();
  const playbook = useAsync(
    () => api().playbooks.forIncident(info.path, incident.id),
    [info.path, incident.id],
  );
  return (
    <section className="panel" aria-labelledby="playbook-title">
      <h3 id="playbook-title">What to do: playbook</h3>
      {playbook.state.status === 'error' && (
        <ErrorMessage
          title="The playbook is unavailable"
          error={playbook.state.error}
          onRetry={playbook.reload}
        />
      )}
      {playbook.state.status === 'loading' && <Loading />}
      {playbook.state.status === 'ok' && (
        <>
          <p>
            <strong>{playbook.state.data.title}</strong>{' '}
            <span className="badge">
              {playbook.state.data.edited ? 'edited for this workspace' : 'built-in'}
            </span>
            <br />
            {playbook.state.data.action}
          </p>
          <ol aria-label="Playbook steps">
            {playbook.state.data.steps.map((step, k) => (
              <li key={k}>{step}</li>
            ))}
          </ol>
          <button
            type="button"
            className="link"
            onClick={() =>
              navigate({
                view: 'alerts',
                tab: 'playbooks',
                kind: playbook.state.status === 'ok' ? playbook.state.data.kind : 'other',
              })
            }
          >
            Edit this playbook
          </button>
        </>
      )}
    </section>
  );
}
