import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { ImportProgress } from '../../../../shared/ingest';
import type { DemoOptions, DemoSummary, WorkspaceInfo } from '../../../../shared/workspace';
import { api, errorShape, fileDialogs } from '../../api';
import { DetectionProgressPanel } from '../../components/DetectionProgressPanel';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ImportProgressPanel } from '../../components/ImportProgressPanel';
import { Loading } from '../../components/Loading';
import { PathField } from '../../components/PathField';
import { useDetection } from '../../state/useDetection';
import { useJob } from '../../state/useJob';

interface Props {
  onOpened(info: WorkspaceInfo): void;
  prominent: boolean;
}

/**
 * The first-time user's way in: a simulated store with known incidents, imported and scanned in one click.
 * Detection runs right after, so the Overview has incidents to show.
 */
export function DemoCard({ onOpened, prominent }: Props) {
  const [path, setPath] = useState('demo.fscope');
  // Empty: the engine's own defaults. A smaller store is quicker to make (and to test with).
  const [days, setDays] = useState('');
  const [sessionsPerDay, setSessionsPerDay] = useState('');
  const job = useJob<ImportProgress, DemoSummary>('demo');
  const detection = useDetection();
  const dialogs = fileDialogs();
  const [step, setStep] = useState<'form' | 'detecting' | 'opening'>('form');
  const [detectError, setDetectError] = useState<{ error: ErrorShape; workspace: string } | null>(null);

  async function open(workspace: string) {
    setStep('opening');
    const info = await api().workspace.open(workspace);
    onOpened(info);
  }

  async function create() {
    setDetectError(null);
    setStep('form');
    const options: DemoOptions = {};
    if (days) options.days = Math.max(7, Math.round(Number(days)));
    if (sessionsPerDay) options.sessionsPerDay = Math.max(100, Math.round(Number(sessionsPerDay)));
    const summary = await job.start((j) => api().workspace.createDemo(path.trim(), options, j));
    if (!summary) return;
    setStep('detecting');
    // A cancelled detection still opens the workspace (its data is imported); a failed one says so.
    let failure: ErrorShape | null = null;
    await detection.start(async (j) => {
      try {
        return await api().detection.run(summary.workspace, {}, j);
      } catch (error) {
        const shape = errorShape(error);
        if (shape.code !== 'CANCELLED') failure = shape;
        throw error;
      }
    });
    if (failure) {
      setStep('form');
      setDetectError({ error: failure, workspace: summary.workspace });
      return;
    }
    await open(summary.workspace).catch((error: unknown) => {
      setStep('form');
      setDetectError({ error: errorShape(error), workspace: summary.workspace });
    });
  }

  const state = job.state;
  const running = state.status === 'running';
  return (
    <section className={`panel${prominent ? ' highlight' : ''}`} aria-labelledby="demo-title">
      <h2 id="demo-title">Try it on a demo store</h2>
      <p>
        A simulated online store with a few weeks of traffic, e-mail campaigns, deploys and promos — and six
        real-looking incidents hidden in it (a payment failure, a checkout regression, lost regional
        traffic…). Nothing leaves this machine.
      </p>
      {!running && step === 'form' && (
        <div className="form-row">
          <PathField
            label="Save the demo workspace as"
            value={path}
            onChange={setPath}
            browse={dialogs ? () => dialogs.createWorkspace() : null}
          />
          <div className="field narrow">
            <label htmlFor="demo-days">Days of data</label>
            <input
              id="demo-days"
              type="number"
              min={7}
              max={90}
              placeholder="default"
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          </div>
          <div className="field narrow">
            <label htmlFor="demo-sessions">Sessions a day</label>
            <input
              id="demo-sessions"
              type="number"
              min={100}
              step={1000}
              placeholder="default"
              value={sessionsPerDay}
              onChange={(e) => setSessionsPerDay(e.target.value)}
            />
          </div>
          <button type="button" className="primary" onClick={() => void create()} disabled={!path.trim()}>
            Create demo workspace
          </button>
        </div>
      )}
      {state.status === 'running' && (
        <ImportProgressPanel
          title="Creating the demo workspace"
          progress={state.progress}
          startedAt={state.startedAt}
          onCancel={() => void job.cancel()}
        />
      )}
      {step === 'detecting' && detection.state.status === 'running' && (
        <DetectionProgressPanel
          progress={detection.state.progress}
          startedAt={detection.state.startedAt}
          onCancel={() => void detection.cancel()}
        />
      )}
      {step === 'opening' && <Loading label="Opening the workspace…" />}
      {job.state.status === 'cancelled' && <p role="status">Cancelled. Nothing was kept.</p>}
      {job.state.status === 'error' && (
        <ErrorMessage title="The demo workspace could not be created" error={job.state.error} />
      )}
      {detectError && (
        <>
          <ErrorMessage title="The demo data is imported, but detection failed" error={detectError.error} />
          <button type="button" onClick={() => void open(detectError.workspace)}>
            Open the workspace anyway
          </button>
        </>
      )}
    </section>
  );
}
