import type { IncidentRecord } from '../../../../shared/explore';
import type { Severity } from '../../../../shared/incidents';
import { DateTime } from '../../components/DateTime';
import { SeverityBadge } from '../../components/SeverityBadge';
import { cohortPhrase } from '../../format/cohort';
import { metricLabel } from '../../format/metric';
import { formatMoney } from '../../format/numbers';
import { useNavigate } from '../../state/route';

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The open incidents that matter most: by severity, then revenue at risk. */
export function rankIncidents(incidents: IncidentRecord[]): IncidentRecord[] {
  return [...incidents].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || b.impact.revenueAtRisk - a.impact.revenueAtRisk,
  );
}

export function TopIncidents({ incidents }: { incidents: IncidentRecord[] }) {
  const navigate = useNavigate();
  const top = rankIncidents(incidents.filter((i) => i.status === 'open' && !i.expected)).slice(0, 5);
  if (top.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="top-title">
      <h2 id="top-title">Open incidents to look at first</h2>
      <table className="plain">
        <thead>
          <tr>
            <th>Severity</th>
            <th>What</th>
            <th>Detected</th>
            <th className="num">Revenue at risk</th>
          </tr>
        </thead>
        <tbody>
          {top.map((i) => (
            <tr key={i.id}>
              <td>
                <SeverityBadge severity={i.severity} />
              </td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => navigate({ view: 'incidents', incidentId: i.id })}
                >
                  {metricLabel(i.metric)} {i.direction} in {cohortPhrase(i.cohort)}
                </button>
              </td>
              <td>
                <DateTime ms={Date.parse(i.detectedAt)} />
              </td>
              <td className="num">{formatMoney(i.impact.revenueAtRisk)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
