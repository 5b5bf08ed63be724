import type { IncidentRecord } from '../../../../shared/explore';
import { useCatalog } from '../../state/useCatalog';
import { DateTime } from '../../components/DateTime';
import { SeverityBadge } from '../../components/SeverityBadge';
import { cohortPhrase } from '../../format/cohort';
import { formatDurationMs } from '../../format/dates';
import { metricLabel } from '../../format/metric';
import { formatInteger, formatMoney } from '../../format/numbers';
import { PRODUCT_DIMENSIONS } from '../../../../shared/events';
import { useNavigate } from '../../state/route';
import { AttributionList } from './AttributionList';
import { EvidencePanel } from './EvidencePanel';
import { FeedbackPanel } from './FeedbackPanel';
import { IncidentChart } from './IncidentChart';
import { PlaybookPanel } from './PlaybookPanel';

interface Props {
  incident: IncidentRecord;
  onBack(): void;
  onLabelled(next: IncidentRecord): void;
}

/** One incident: what moved where and when, its chart, what explains it, and the analyst's verdict. */
export function IncidentDetail({ incident, onBack, onLabelled }: Props) {
  const navigate = useNavigate();
  const start = Date.parse(incident.start);
  const detected = Date.parse(incident.detectedAt);
  // Product cohorts (a category) have their own rows in the cube, without the visit dimensions to drill into.
  const byProduct = Object.keys(incident.cohort).some((d) =>
    (PRODUCT_DIMENSIONS as readonly string[]).includes(d),
  );
  // A metric of the analyst's own has no money value.
  const catalog = useCatalog();
  const own =
    'data' in catalog.state && catalog.state.data?.some((m) => m.name === incident.metric && m.custom);
  return (
    <div className="view">
      <button type="button" className="link" onClick={onBack}>
        ← All incidents
      </button>
      <header className="view-header">
        <h1>
          {metricLabel(incident.metric)} {incident.direction === 'down' ? 'fell' : 'rose'} in{' '}
          {cohortPhrase(incident.cohort)}
        </h1>
        <p>
          <SeverityBadge severity={incident.severity} /> · from <DateTime ms={start} /> to{' '}
          <DateTime ms={Date.parse(incident.end)} /> · detected <DateTime ms={detected} /> (
          {formatDurationMs(detected - start)} after it began)
          {incident.expected && <span className="badge"> inside an annotated promo or campaign</span>}
        </p>
      </header>
      <div className="actions">
        <button type="button" onClick={() => navigate({ view: 'replay', incidentId: incident.id })}>
          Replay as it happened
        </button>
        <button
          type="button"
          disabled={byProduct}
          title={
            byProduct
              ? 'A category is not broken down by visit dimensions (the cube keeps its own rows); its chart is below.'
              : undefined
          }
          onClick={() => navigate({ view: 'cohorts', metric: incident.metric, within: incident.cohort })}
        >
          Explore this cohort
        </button>
        <button type="button" onClick={() => navigate({ view: 'reports', incidentId: incident.id })}>
          Export a report
        </button>
      </div>
      <div className="kpis">
        <div className="kpi">
          <div className="kpi-label">Revenue at risk</div>
          <div className="kpi-value">{own ? '—' : formatMoney(incident.impact.revenueAtRisk)}</div>
          {own && <div className="kpi-hint">not estimated for a metric of your own</div>}
        </div>
        <div className="kpi">
          <div className="kpi-label">Lost conversions</div>
          <div className="kpi-value">{own ? '—' : formatInteger(incident.impact.lostConversions)}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">Anomaly score</div>
          <div className="kpi-value">{incident.score.toFixed(4)}</div>
        </div>
      </div>
      <IncidentChart incident={incident} />
      <div className="two-columns">
        <section className="panel" aria-labelledby="attribution-title">
          <h3 id="attribution-title">What explains it</h3>
          <AttributionList incident={incident} />
        </section>
        <FeedbackPanel key={incident.id} incident={incident} onLabelled={onLabelled} />
      </div>
      <EvidencePanel incident={incident} />
      <PlaybookPanel incident={incident} />
    </div>
  );
}
