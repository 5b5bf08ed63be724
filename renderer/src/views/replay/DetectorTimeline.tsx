import type { DetectorAlarm } from '../../../../shared/explore';
import { formatDurationMs } from '../../format/dates';
import { useWorkspace } from '../../state/workspace';

interface Props {
  alarms: DetectorAlarm[];
  /** Epoch ms of the last bucket revealed so far. */
  now: number;
  /** Epoch ms the incident began: time to detect is measured from here. */
  onset: number | null;
  /** A bucket's alarm is known when the bucket closes, so time to detect counts to its end. */
  bucketMs: number;
}

/**
 * Each detector's first alarm at or after the onset, shown only once the replay reaches it — what a live
 * watcher would have seen — with its time to detect.
 */
export function DetectorTimeline({ alarms, now, onset, bucketMs }: Props) {
  const { dates } = useWorkspace();
  const detectors = [...new Set(alarms.map((a) => a.detector))].sort();
  if (detectors.length === 0) return <p className="muted">No detector fired in this window.</p>;
  return (
    <table className="plain detectors" aria-label="Detectors">
      <thead>
        <tr>
          <th>Detector</th>
          <th>First alarm</th>
          <th
            className="num"
            title="From the incident's onset to the end of the bucket that raised the alarm"
          >
            Time to detect
          </th>
          <th className="num">Score</th>
        </tr>
      </thead>
      <tbody>
        {detectors.map((detector) => {
          const first = alarms
            .filter((a) => a.detector === detector && (onset === null || a.at >= onset))
            .sort((a, b) => a.at - b.at)[0];
          const fired = first !== undefined && first.at <= now;
          return (
            <tr key={detector} className={fired ? 'fired' : ''} data-testid={`detector-${detector}`}>
              <td>{detector}</td>
              <td>
                {fired ? (
                  <time title={dates.utc(first.at)}>
                    {dates.dateTime(first.at)} ({first.direction})
                  </time>
                ) : (
                  <span className="muted">{first ? 'watching…' : 'did not fire after the onset'}</span>
                )}
              </td>
              <td className="num">
                {fired && onset !== null ? formatDurationMs(first.at + bucketMs - onset) : '—'}
              </td>
              <td className="num">{fired ? first.score.toFixed(3) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
