import type { EvidenceLine } from '../../../../shared/attribution';
import { formatPercent } from '../../format/numbers';

const KIND_LABEL: Record<EvidenceLine['kind'], string> = {
  annotation: 'deploy / promo',
  metric: 'moved with it',
  confinement: 'confined?',
};

/** One candidate cause as the engine states it, with its score drawn as a bar. */
export function EvidenceLineItem({ line }: { line: EvidenceLine }) {
  const p = line.kind === 'metric' ? line.details.pValue : null;
  return (
    <li className="evidence-line">
      <span
        className="score"
        title={`Score ${line.score.toFixed(2)} of 1`}
        aria-label={`score ${line.score.toFixed(2)}`}
      >
        <span className="score-fill" style={{ width: `${Math.round(line.score * 100)}%` }} />
      </span>
      <span className={`badge evidence-${line.kind}`}>{KIND_LABEL[line.kind]}</span>
      <span className="evidence-summary">
        {line.summary}
        {p !== null && (
          <span className="muted small"> ({p < 0.0001 ? 'p < 0.0001' : `p = ${p.toFixed(4)}`})</span>
        )}
        {line.kind === 'annotation' && (
          <span className="muted small">
            {' '}
            (closeness {formatPercent(line.details.closeness)}, cohort match{' '}
            {formatPercent(line.details.cohortMatch)})
          </span>
        )}
      </span>
    </li>
  );
}
