import { resolutionsFor } from '../charts/rollupSeries';
import { formatDurationMs } from '../format/dates';

interface Props {
  bucketMs: number;
  value: number;
  onChange(ms: number): void;
}

/** How finely a series is drawn: its own buckets (with the expected band) or rolled up. */
export function ResolutionPicker({ bucketMs, value, onChange }: Props) {
  const options = resolutionsFor(bucketMs);
  if (options.length <= 1) return null;
  return (
    <label className="inline">
      Shown per{' '}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label="Resolution">
        {options.map((ms) => (
          <option key={ms} value={ms}>
            {formatDurationMs(ms)}
            {ms === bucketMs ? ' (native buckets)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What a rolled-up chart leaves out, said under it. */
export function RollupNote({
  bucketMs,
  resolutionMs,
  ratio,
  band = true,
}: {
  bucketMs: number;
  resolutionMs: number;
  ratio: boolean;
  /** Whether the chart draws an expected band at its native resolution. */
  band?: boolean;
}) {
  if (resolutionMs <= bucketMs) return null;
  return (
    <p className="muted small">
      {formatDurationMs(bucketMs)} buckets rolled up to {formatDurationMs(resolutionMs)}
      {ratio ? ' (each rate is Σ numerator / Σ denominator)' : ''}
      {band
        ? `; the expected band is drawn only at the detector's own ${formatDurationMs(bucketMs)} resolution`
        : ''}
      .
    </p>
  );
}
