import type { ErrorShape } from '../../../shared/errors';
import type { WorkspaceInfo } from '../../../shared/workspace';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { loadRecent } from '../state/recent';
import { DemoCard } from './workspace/DemoCard';
import { OpenWorkspaceForm } from './workspace/OpenWorkspaceForm';
import { RecentList } from './workspace/RecentList';

/** Start screen: the demo first for someone who has never opened a workspace, recent ones first otherwise. */
interface Props {
  onOpened(info: WorkspaceInfo): void;
  /** The workspace the shell asked to open at start, when that failed. */
  startupError?: { path: string; error: ErrorShape } | null;
  /** The workspace being opened at start, if any. */
  opening?: string | null;
}

export function WorkspaceView({ onOpened, startupError, opening }: Props) {
  const firstTime = loadRecent().length === 0;
  return (
    <div className="view">
      <header className="view-header">
        <h1>Workspaces</h1>
        <p className="muted">
          A workspace is one file holding an investigation: the imported events (identifiers pseudonymised),
          the metrics, the incidents and your verdicts.
        </p>
      </header>
      {opening && <Loading label={`Opening ${opening} (reading its summary)…`} />}
      {startupError && (
        <ErrorMessage title={`${startupError.path} could not be opened`} error={startupError.error} />
      )}
      {firstTime ? (
        <>
          <DemoCard onOpened={onOpened} prominent />
          <OpenWorkspaceForm onOpened={onOpened} />
        </>
      ) : (
        <>
          <RecentList onOpened={onOpened} />
          <OpenWorkspaceForm onOpened={onOpened} />
          <DemoCard onOpened={onOpened} prominent={false} />
        </>
      )}
    </div>
  );
}
