import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { WorkspaceInfo } from '../../../../shared/workspace';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { forgetRecent, loadRecent } from '../../state/recent';

/** Recently opened workspaces: open one, or drop it from the list (the file is not touched). */
export function RecentList({ onOpened }: { onOpened(info: WorkspaceInfo): void }) {
  const [recent, setRecent] = useState(loadRecent);
  const [error, setError] = useState<{ path: string; error: ErrorShape } | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  if (recent.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent workspaces</h2>
      <ul className="recent">
        {recent.map((r) => (
          <li key={r.path}>
            <button
              type="button"
              className="link"
              onClick={async () => {
                setError(null);
                setOpening(r.path);
                try {
                  onOpened(await api().workspace.open(r.path));
                } catch (e) {
                  setError({ path: r.path, error: errorShape(e) });
                } finally {
                  setOpening(null);
                }
              }}
            >
              {r.path}
            </button>
            <span className="muted small"> opened {new Date(r.openedAt).toLocaleString()}</span>
            <button
              type="button"
              className="icon"
              aria-label={`Forget ${r.path}`}
              onClick={() => setRecent(forgetRecent(r.path))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {opening && <Loading label={`Opening ${opening} (reading its summary)…`} />}
      {error && <ErrorMessage title={`${error.path} could not be opened`} error={error.error} />}
    </section>
  );
}
