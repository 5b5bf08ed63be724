import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { FeedbackLabel, IncidentRecord } from '../../../../shared/explore';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { STATUS_LABEL, StatusBadge } from '../../components/StatusBadge';
import { useWorkspace } from '../../state/workspace';

const LABELS: { label: FeedbackLabel; explain: string }[] = [
  { label: 'true_alarm', explain: 'Something really went wrong.' },
  { label: 'false_alarm', explain: 'Nothing was wrong; similar alarms are suppressed in later runs.' },
  { label: 'expected', explain: 'A known change (promo, campaign, planned outage).' },
];

/** The analyst's verdict with a note; it changes later detection runs. */
export function FeedbackPanel({
  incident,
  onLabelled,
}: {
  incident: IncidentRecord;
  onLabelled(next: IncidentRecord): void;
}) {
  const { info } = useWorkspace();
  const [note, setNote] = useState(incident.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  async function label(verdict: FeedbackLabel) {
    setBusy(true);
    setError(null);
    try {
      onLabelled(await api().incidents.label(info.path, incident.id, verdict, note.trim() || undefined));
    } catch (e) {
      setError(errorShape(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="feedback-title">
      <h3 id="feedback-title">
        Your verdict <StatusBadge status={incident.status} />
      </h3>
      <div className="field">
        <label htmlFor="feedback-note">Note (optional)</label>
        <textarea
          id="feedback-note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="e.g. payment provider outage, ticket OPS-1234"
        />
      </div>
      <div className="actions">
        {LABELS.map(({ label: verdict, explain }) => (
          <button
            key={verdict}
            type="button"
            className={incident.status === verdict ? 'primary' : ''}
            title={explain}
            disabled={busy}
            onClick={() => void label(verdict)}
          >
            {STATUS_LABEL[verdict]}
          </button>
        ))}
      </div>
      {error && <ErrorMessage title="The verdict was not saved" error={error} />}
    </section>
  );
}
