import type { IncidentRecord } from '../../../../shared/explore';
import { cohortLabel } from '../../format/cohort';
import { formatPercent } from '../../format/numbers';
import { useNavigate } from '../../state/route';

/**
 * The smallest set of cohorts that explains the incident, each with the share of the change it explains
 * (explanatory power) and its score. Clicking one explores that cohort.
 */
export function AttributionList({ incident }: { incident: IncidentRecord }) {
  const navigate = useNavigate();
  if (incident.attribution.length === 0)
    return (
      <p className="muted">
        No narrower cohort explains this change better than {cohortLabel(incident.cohort)} itself: the whole
        cohort moved.
      </p>
    );
  return (
    <table className="plain attribution" aria-label="Attribution">
      <thead>
        <tr>
          <th>Cohort</th>
          <th className="num" title="Share of the incident's change that this cohort accounts for">
            Explains
          </th>
          <th className="num" title="How far the cohort moved from its usual share (the attribution's score)">
            Score
          </th>
        </tr>
      </thead>
      <tbody>
        {incident.attribution.map((a) => (
          <tr key={cohortLabel(a.cohort)}>
            <td>
              <button
                type="button"
                className="link"
                onClick={() => navigate({ view: 'cohorts', metric: incident.metric, within: a.cohort })}
              >
                {cohortLabel(a.cohort)}
              </button>
            </td>
            <td className="num">{formatPercent(a.share)}</td>
            <td className="num">{a.score.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
