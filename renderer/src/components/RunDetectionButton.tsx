import { useState } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import type { DetectionRun } from '../../../shared/incidents';
import { api, errorShape } from '../api';
import { formatInteger } from '../format/numbers';
import { useWorkspace } from '../state/workspace';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';

interface Props {
  onDone(run: DetectionRun): void;
  label?: string;
  primary?: boolean;
}

/** Runs every detector over the workspace again (after an import or a settings change). */
export function RunDetectionButton({ onDone, label = 'Run detection', primary = false }: Props) {
  const { info } = useWorkspace();
  const [state, setState] = useState<'idle' | 'running' | { run: DetectionRun } | ErrorShape>('idle');
  async function run() {
    setState('running');
    try {
      const result = await api().detection.run(info.path);
      setState({ run: result });
      onDone(result);
    } catch (error) {
      setState(errorShape(error));
    }
  }
  return (
    <div className="run-detection">
      <button
        type="button"
        className={primary ? 'primary' : ''}
        onClick={() => void run()}
        disabled={state === 'running'}
      >
        {label}
      </button>
      {state === 'running' && <Loading label="Running the detectors over every watched cohort…" />}
      {typeof state === 'object' && 'run' in state && (
        <span className="muted small" role="status">
          Found {formatInteger(state.run.incidents.length)} incidents in{' '}
          {formatInteger(state.run.stats.series)} series ({state.run.stats.bucketMinutes}-minute buckets).
        </span>
      )}
      {typeof state === 'object' && 'code' in state && (
        <ErrorMessage title="Detection failed" error={state} />
      )}
    </div>
  );
}
