import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { WorkspaceInfo } from '../../../../shared/workspace';
import { api, errorShape, fileDialogs } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PathField } from '../../components/PathField';

interface Props {
  onOpened(info: WorkspaceInfo): void;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Open an existing workspace, or create an empty one, by typed path (or a dialog where the shell has one). */
export function OpenWorkspaceForm({ onOpened }: Props) {
  const [openPath, setOpenPath] = useState('');
  const [newPath, setNewPath] = useState('');
  const [timeZone, setTimeZone] = useState(browserZone);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const dialogs = fileDialogs();

  async function run(path: string, create: boolean) {
    setBusy(true);
    setError(null);
    try {
      onOpened(await api().workspace.open(path.trim(), create ? { create: true, timeZone } : {}));
    } catch (e) {
      setError(errorShape(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="open-title">
      <h2 id="open-title">Open or create a workspace</h2>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(openPath, false);
        }}
      >
        <PathField
          label="Workspace file"
          value={openPath}
          onChange={setOpenPath}
          placeholder="/path/to/investigation.fscope"
          browse={dialogs ? () => dialogs.openWorkspace() : null}
        />
        <button type="submit" className="primary" disabled={busy || !openPath.trim()}>
          Open
        </button>
      </form>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(newPath, true);
        }}
      >
        <PathField
          label="New workspace"
          value={newPath}
          onChange={setNewPath}
          placeholder="checkout-drop-october.fscope"
          browse={dialogs ? () => dialogs.createWorkspace() : null}
        />
        <div className="field narrow">
          <label htmlFor="new-tz">Time zone</label>
          <input id="new-tz" type="text" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </div>
        <button type="submit" disabled={busy || !newPath.trim()}>
          Create
        </button>
      </form>
      <p className="hint">
        One workspace per investigation. A relative path is taken in your workspace folder.
      </p>
      {busy && <Loading label="Opening the workspace (reading its summary)…" />}
      {error && <ErrorMessage title="The workspace could not be opened" error={error} />}
    </section>
  );
}
