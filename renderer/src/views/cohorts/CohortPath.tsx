import type { Cohort } from '../../../../shared/explore';

/** Where the drill-down stands: All traffic › country=US › device=desktop; each step can be gone back to. */
export function CohortPath({ within, onChange }: { within: Cohort; onChange(next: Cohort): void }) {
  const entries = Object.entries(within);
  return (
    <nav className="cohort-path" aria-label="Drill-down">
      <button type="button" className="link" onClick={() => onChange({})} disabled={entries.length === 0}>
        All traffic
      </button>
      {entries.map(([dimension, value], i) => (
        <span key={dimension}>
          {' › '}
          <button
            type="button"
            className="link"
            disabled={i === entries.length - 1}
            onClick={() => onChange(Object.fromEntries(entries.slice(0, i + 1)))}
          >
            {dimension}={value}
          </button>
        </span>
      ))}
    </nav>
  );
}
