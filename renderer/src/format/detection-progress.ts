import type { DetectionProgress } from '../../../shared/incidents';

/** Share of a run's time each stage takes on a typical workspace (the detectors dominate). */
const STAGES: Record<DetectionProgress['stage'], { from: number; to: number; label: string }> = {
  cube: { from: 0, to: 0.1, label: 'Extending the metric cube' },
  detectors: { from: 0.1, to: 0.75, label: 'Running the detectors' },
  grouping: { from: 0.75, to: 0.97, label: 'Grouping anomalies into incidents' },
  saving: { from: 0.97, to: 1, label: 'Storing the incidents' },
};

/** Overall fraction done (0..1) and a line in words, for the progress bar of a detection run. */
export function describeDetectionProgress(progress: DetectionProgress | null): {
  fraction: number | null;
  label: string;
} {
  if (!progress) return { fraction: null, label: 'Starting detection…' };
  const stage = STAGES[progress.stage];
  const within = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const steps =
    progress.total > 1 ? ` (${Math.min(progress.done + 1, progress.total)} of ${progress.total})` : '';
  return {
    fraction: stage.from + (stage.to - stage.from) * within,
    label: `${stage.label}${progress.detail ? `: ${progress.detail}` : ''}${steps}`,
  };
}
