import { formatPercent } from '../format/numbers';

interface Props {
  /** 0..1, or null when the total is not known yet. */
  fraction: number | null;
  label: string;
}

export function ProgressBar({ fraction, label }: Props) {
  const known = fraction !== null && Number.isFinite(fraction);
  const clamped = known ? Math.min(1, Math.max(0, fraction)) : 0;
  return (
    <div className="progress">
      <div
        className={`progress-track${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(known ? { 'aria-valuenow': Math.round(clamped * 100) } : {})}
      >
        <div className="progress-fill" style={{ width: known ? `${clamped * 100}%` : '30%' }} />
      </div>
      <span className="progress-label">
        {label}
        {known ? ` — ${formatPercent(clamped)}` : ''}
      </span>
    </div>
  );
}
