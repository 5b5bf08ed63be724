import type { DetectionProgress } from '../../../shared/incidents';
import { describeDetectionProgress } from '../format/detection-progress';
import { ProgressBar } from './ProgressBar';

interface Props {
  progress: DetectionProgress | null;
  startedAt: number;
  onCancel(): void;
}

/** Where a running detection is, with Cancel (the incidents of the previous run stay as they were). */
export function DetectionProgressPanel({ progress, startedAt, onCancel }: Props) {
  const { fraction, label } = describeDetectionProgress(progress);
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  return (
    <div className="detection-progress" role="group" aria-label="Detection progress">
      <ProgressBar fraction={fraction} label={label} />
      <span className="muted small">{seconds} s</span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
