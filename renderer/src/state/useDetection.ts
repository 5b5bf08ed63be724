import type { DetectionProgress, DetectionRun } from '../../../shared/incidents';
import { api } from '../api';
import { useJob } from './useJob';

/** A detection run over the open workspace as a job: progress by stage, and a Cancel that stops it. */
export function useDetection() {
  const job = useJob<DetectionProgress, DetectionRun>('detection');
  return {
    ...job,
    run: (workspace: string) => job.start((j) => api().detection.run(workspace, {}, j)),
  };
}
