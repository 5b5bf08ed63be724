import type { DetectionRun } from '../../../shared/incidents';
import { formatInteger } from '../format/numbers';
import { useDetection } from '../state/useDetection';
import { useWorkspace } from '../state/workspace';
import { DetectionProgressPanel } from './DetectionProgressPanel';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  onDone(run: DetectionRun): void;
  label?: string;
  primary?: boolean;
}

/** Runs every detector over the workspace again (after an import or a settings change), with progress and Cancel. */
export function RunDetectionButton({ onDone, label = 'Run detection', primary = false }: Props) {
  const { info } = useWorkspace();
  const detection = useDetection();
  const state = detection.state;
  async function run() {
    const result = await detection.run(info.path);
    if (result) onDone(result);
  }
  return (
    <div className="run-detection">
      {state.status !== 'running' && (
        <button type="button" className={primary ? 'primary' : ''} onClick={() => void run()}>
          {label}
        </button>
      )}
      {state.status === 'running' && (
        <DetectionProgressPanel
          progress={state.progress}
          startedAt={state.startedAt}
          onCancel={() => void detection.cancel()}
        />
      )}
      {state.status === 'done' && (
        <span className="muted small" role="status">
          Found {formatInteger(state.result.incidents.length)} incidents in{' '}
          {formatInteger(state.result.stats.series)} series ({state.result.stats.bucketMinutes}-minute
          buckets).
        </span>
      )}
      {state.status === 'cancelled' && (
        <span className="muted small" role="status">
          Detection cancelled; the incidents of the previous run are unchanged.
        </span>
      )}
      {state.status === 'error' && <ErrorMessage title="Detection failed" error={state.error} />}
    </div>
  );
}
