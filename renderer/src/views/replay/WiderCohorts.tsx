import type { Cohort, MetricSeries } from '../../../../shared/explore';
import { cohortLabel } from '../../format/cohort';

interface Props {
  series: MetricSeries;
  onReplayCohort(cohort: Cohort): void;
}

/**
 * When no alarm is recorded for an incident's cohort itself (country=US · device=desktop, or a small channel
 * whose detector never had enough trials), the incident was most likely raised on a wider cohort and narrowed
 * down by attribution: offer to replay each wider one.
 */
export function WiderCohorts({ series, onReplayCohort }: Props) {
  const entries = Object.entries(series.cohort);
  if (entries.length < 1 || (series.baseline?.alarms.length ?? 0) > 0) return null;
  // Each single dimension of a combined cohort is wider than it; a single dimension has only all traffic.
  const singles = entries.length >= 2 ? entries : [];
  return (
    <div className="wider-cohorts">
      <p className="muted">
        No detector alarm is recorded for {cohortLabel(series.cohort)} itself. An incident in a narrow cohort
        is usually raised on a wider one and narrowed down by attribution. Replay a wider cohort:
      </p>
      <div className="actions">
        {singles.map(([dimension, value]) => (
          <button key={dimension} type="button" onClick={() => onReplayCohort({ [dimension]: value })}>
            {dimension}={value}
          </button>
        ))}
        <button type="button" onClick={() => onReplayCohort({})}>
          All traffic
        </button>
      </div>
    </div>
  );
}
