import { useState } from 'react';
import type { ErrorShape } from '../../../../shared/errors';
import type { WorkspaceSettings } from '../../../../shared/explore';
import type { MetricDefinition } from '../../../../shared/metrics';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RunDetectionButton } from '../../components/RunDetectionButton';
import { knownCurrencies } from '../../format/currencies';
import { knownTimeZones } from '../../format/zones';
import { useWorkspace } from '../../state/workspace';
import { MetricSensitivityTable } from './MetricSensitivityTable';
import { SensitivityPicker } from './SensitivityPicker';

const BUCKETS: { value: WorkspaceSettings['bucketMinutes']; label: string }[] = [
  { value: null, label: 'Automatic (from the data volume)' },
  { value: 1, label: '1 minute' },
  { value: 5, label: '5 minutes' },
  { value: 15, label: '15 minutes' },
  { value: 60, label: '1 hour' },
];

/** Every workspace setting in one form; saved together, and detection can be rerun with them at once. */
export function SettingsForm({
  initial,
  catalog,
}: {
  initial: WorkspaceSettings;
  catalog: MetricDefinition[];
}) {
  const { info, refreshSettings } = useWorkspace();
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | ErrorShape>('idle');
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const zones = knownTimeZones();
  const currencies = knownCurrencies();

  async function save() {
    setState('saving');
    try {
      const next = await api().settings.update(info.path, draft);
      setSaved(next);
      setDraft(next);
      setState('saved');
      await refreshSettings();
    } catch (error) {
      setState(errorShape(error));
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <section className="panel" aria-labelledby="detection-settings">
        <h2 id="detection-settings">Detection</h2>
        <div className="field">
          <span className="label">Sensitivity (all metrics)</span>
          <SensitivityPicker
            name="Global sensitivity"
            value={draft.sensitivity}
            onChange={(sensitivity) => setDraft({ ...draft, sensitivity })}
          />
        </div>
        <details>
          <summary>Per metric ({Object.keys(draft.metricSensitivity).length} overridden)</summary>
          <MetricSensitivityTable
            catalog={catalog}
            value={draft.metricSensitivity}
            onChange={(metricSensitivity) => setDraft({ ...draft, metricSensitivity })}
          />
        </details>
        <label className="field narrow">
          <span className="label">Bucket size</span>
          <select
            value={draft.bucketMinutes ?? ''}
            onChange={(e) =>
              setDraft({
                ...draft,
                bucketMinutes: e.target.value
                  ? (Number(e.target.value) as WorkspaceSettings['bucketMinutes'])
                  : null,
              })
            }
          >
            {BUCKETS.map((b) => (
              <option key={b.label} value={b.value ?? ''}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section className="panel" aria-labelledby="display-settings">
        <h2 id="display-settings">Time and money</h2>
        <label className="field narrow">
          <span className="label">Time zone of dates and days</span>
          <input
            list="time-zones"
            value={draft.timeZone}
            onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
          />
          <datalist id="time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <label className="field narrow">
          <span className="label">Currency of revenue</span>
          <select
            value={draft.currency ?? ''}
            onChange={(e) => setDraft({ ...draft, currency: e.target.value || null })}
          >
            <option value="">Not set (amounts without a symbol)</option>
            {currencies.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} — {c.name}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section className="panel" aria-labelledby="privacy-settings">
        <h2 id="privacy-settings">Privacy and reports</h2>
        <p className="muted">
          Masking at import (fixed): user, session and order ids become keyed pseudonyms (HMAC-SHA-256 with
          this workspace's secret); e-mail addresses, phone numbers and IP addresses are dropped; free text is
          scanned and PII redacted.
        </p>
        <label className="field narrow">
          <span className="label">Reports leave out cohorts with fewer users than (k)</span>
          <input
            type="number"
            min={1}
            value={draft.reportMinUsers}
            onChange={(e) =>
              setDraft({ ...draft, reportMinUsers: Math.max(1, Math.round(Number(e.target.value) || 1)) })
            }
          />
        </label>
      </section>
      <section className="panel" aria-labelledby="notification-settings">
        <h2 id="notification-settings">Notifications</h2>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.notifications}
            onChange={(e) => setDraft({ ...draft, notifications: e.target.checked })}
          />{' '}
          Desktop notification when an import reveals a critical incident
        </label>
      </section>
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty || state === 'saving'}>
          Save settings
        </button>
        <button type="button" disabled={!dirty} onClick={() => setDraft(saved)}>
          Discard changes
        </button>
        {state === 'saved' && !dirty && (
          <span className="ok" role="status">
            Saved. Sensitivity and bucket size apply from the next detection run.
          </span>
        )}
      </div>
      {state === 'saved' && !dirty && (
        <RunDetectionButton label="Run detection with these settings" onDone={() => undefined} />
      )}
      {typeof state === 'object' && <ErrorMessage title="The settings were not saved" error={state} />}
    </form>
  );
}
