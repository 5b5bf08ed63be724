import { useState } from 'react';
import type { PlaybookKind } from '../../../../shared/alerts';
import type { ErrorShape } from '../../../../shared/errors';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { PlaybookEditor } from './PlaybookEditor';

/** Loads the effective playbooks and saves or resets one kind. */
export function PlaybooksPanel({ initialKind }: { initialKind?: PlaybookKind }) {
  const { info } = useWorkspace();
  const [version, setVersion] = useState(0);
  const playbooks = useAsync(() => api().playbooks.list(info.path), [info.path, version]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ErrorShape | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function change(action: () => Promise<{ title: string; edited: boolean }>) {
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const playbook = await action();
      setSaved(`${playbook.title}: ${playbook.edited ? 'your steps saved' : 'back to the built-in steps'}.`);
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(errorShape(error));
    } finally {
      setBusy(false);
    }
  }

  if (playbooks.state.status === 'error')
    return (
      <ErrorMessage
        title="The playbooks are unavailable"
        error={playbooks.state.error}
        onRetry={playbooks.reload}
      />
    );
  const data = 'data' in playbooks.state ? playbooks.state.data : undefined;
  if (!data) return <Loading />;
  return (
    <>
      <PlaybookEditor
        playbooks={data}
        busy={busy}
        {...(initialKind ? { initialKind } : {})}
        onSave={(kind, steps) => void change(() => api().playbooks.update(info.path, kind, steps))}
        onReset={(kind) => void change(() => api().playbooks.reset(info.path, kind))}
      />
      {saved && (
        <p role="status" className="muted">
          {saved}
        </p>
      )}
      {problem && <ErrorMessage title="The playbook was not saved" error={problem} />}
    </>
  );
}
