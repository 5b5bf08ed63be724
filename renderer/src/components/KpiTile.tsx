import type { ReactNode } from 'react';
import type { ErrorShape } from '../../../shared/errors';

interface Props {
  label: string;
  /** null while loading. */
  value: ReactNode | null;
  hint?: ReactNode;
  /** The call behind the figure failed: the tile says so instead of showing a number. */
  error?: ErrorShape | null;
}

export function KpiTile({ label, value, hint, error }: Props) {
  return (
    <div className="kpi" role="group" aria-label={label} aria-busy={value === null && !error}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{error ? '—' : (value ?? '…')}</div>
      {error ? (
        <div className="kpi-error" title={error.code}>
          {error.message}
        </div>
      ) : (
        hint && <div className="kpi-hint">{hint}</div>
      )}
    </div>
  );
}
