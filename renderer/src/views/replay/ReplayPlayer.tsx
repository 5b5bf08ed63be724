import { useMemo, useState } from 'react';
import type { AnnotationRecord, Cohort, MetricSeries } from '../../../../shared/explore';
import { EChart } from '../../charts/EChart';
import { metricSeriesOption } from '../../charts/metricSeriesOption';
import { palette } from '../../charts/palette';
import { defaultResolution, prefix, rollUpSeries } from '../../charts/rollupSeries';
import { ResolutionPicker, RollupNote } from '../../components/ResolutionPicker';
import { cohortLabel } from '../../format/cohort';
import { formatMetric } from '../../format/numbers';
import { useWorkspace } from '../../state/workspace';
import { DetectorTimeline } from './DetectorTimeline';
import { WiderCohorts } from './WiderCohorts';
import { ReplayControls } from './ReplayControls';
import { useReplayClock } from './useReplayClock';

interface Props {
  series: MetricSeries;
  annotations: AnnotationRecord[];
  /** The incident being replayed, shaded once reached; null for a free window. */
  incident: { start: number; end: number; detectedAt?: number } | null;
  /** Index of the bucket the replay starts from (some history already shown). */
  startIndex: number;
  /** Replays the same window for another cohort (a wider one, where detectors watched). */
  onReplayCohort?: (cohort: Cohort) => void;
}

/**
 * Plays a series as it happened: detectors are online, so the expected band and alarms of bucket i used
 * only buckets before i — revealing the series bucket by bucket is exactly what a live watcher saw.
 */
export function ReplayPlayer({ series, annotations, incident, startIndex, onReplayCohort }: Props) {
  const { dates, theme } = useWorkspace();
  const total = series.times.length;
  const clock = useReplayClock(total, Math.max(1, Math.min(total, startIndex)));
  const nowMs = series.times[clock.index - 1] ?? series.times[0] ?? 0;
  const span = useMemo(
    () => ({ min: series.times[0] ?? 0, max: (series.times[total - 1] ?? 0) + series.bucketMs }),
    [series, total],
  );
  const shownWindow =
    incident && incident.start <= nowMs
      ? { start: incident.start, end: Math.min(incident.end, nowMs + series.bucketMs) }
      : null;
  const [resolution, setResolution] = useState(() => defaultResolution(series));
  // What a live watcher had seen at this bucket, drawn at the chosen resolution (a partly elapsed display
  // bucket shows what it held so far).
  const seen = useMemo(
    () => rollUpSeries(prefix(series, clock.index), resolution),
    [series, clock.index, resolution],
  );
  const option = useMemo(
    () =>
      metricSeriesOption({
        series: seen,
        annotations: annotations.filter((a) => a.start <= nowMs + series.bucketMs),
        window: shownWindow,
        span,
        dates,
        colors: palette(theme),
      }),
    [seen, annotations, shownWindow?.start, shownWindow?.end, span, dates, theme, nowMs, series.bucketMs],
  );
  // A cohort without alarms of its own gets the wider cohorts to replay instead (WiderCohorts).
  const offerWider = Boolean(onReplayCohort) && Object.keys(series.cohort).length >= 1;
  const value = series.values[clock.index - 1] ?? null;
  const expected = series.baseline?.expected[clock.index - 1] ?? null;

  return (
    <>
      <ReplayControls
        index={clock.index}
        total={total}
        playing={clock.playing}
        speed={clock.speed}
        now={dates.dateTime(nowMs)}
        nowTitle={dates.utc(nowMs)}
        onPlay={clock.play}
        onPause={clock.pause}
        onStep={clock.step}
        onSeek={clock.seek}
        onSpeed={clock.setSpeed}
      />
      <p className="muted small" role="status">
        Bucket {clock.index} of {total}: {series.metric.label} {formatMetric(value, series.metric.unit)}
        {series.baseline ? `, expected ${formatMetric(expected, series.metric.unit)}` : ''}.
      </p>
      <div className="toolbar">
        <ResolutionPicker bucketMs={series.bucketMs} value={resolution} onChange={setResolution} />
      </div>
      <EChart
        title={`Replay: ${series.metric.label} — ${cohortLabel(series.cohort)}`}
        option={option}
        height={360}
        fileName={`replay-${series.metric.name}`}
      />
      <RollupNote bucketMs={series.bucketMs} resolutionMs={resolution} ratio={series.denominators !== null} />
      <section className="panel" aria-labelledby="detectors-title">
        <h3 id="detectors-title">When each detector fired</h3>
        {series.baseline?.expected.some((v) => v !== null) ? (
          <DetectorTimeline
            alarms={series.baseline.alarms}
            now={nowMs}
            onset={incident?.start ?? null}
            bucketMs={series.bucketMs}
          />
        ) : offerWider ? null : (
          <p className="muted">
            The engine returned no online baseline for {series.metric.label}, so this replay shows the values
            only and cannot say when each detector fired
            {incident?.detectedAt ? (
              <>
                ; the incident was reported as detected at{' '}
                <time title={dates.utc(incident.detectedAt)}>{dates.dateTime(incident.detectedAt)}</time>
              </>
            ) : null}
            .
          </p>
        )}
        {onReplayCohort && <WiderCohorts series={series} onReplayCohort={onReplayCohort} />}
      </section>
    </>
  );
}
