import { useState, type CSSProperties } from 'react';
import { SEVERITIES } from '../../../../shared/alert-rules';
import type { Severity } from '../../../../shared/incidents';
import type { MetricDefinition } from '../../../../shared/metrics';
import { severityPhrase, type RuleDraft } from './ruleForm';

/** The catalog's metrics in as many columns as fit, each label on one line. */
const METRIC_GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(13rem, 1fr))',
  gap: '0.25rem 1rem',
  marginTop: '0.35rem',
};

interface Props {
  initial: RuleDraft;
  metrics: MetricDefinition[];
  dimensions: readonly string[];
  busy: boolean;
  onSave(draft: RuleDraft): void;
  onCancel(): void;
}

/** Adds or edits one rule: name, severity, metrics, cohort filters, quiet hours, on or off. */
export function RuleEditor({ initial, metrics, dimensions, busy, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const toggleMetric = (name: string, on: boolean) =>
    set({ metrics: on ? [...draft.metrics, name] : draft.metrics.filter((m) => m !== name) });

  return (
    <form
      className="panel highlight"
      aria-label={draft.id === undefined ? 'New rule' : `Edit rule ${draft.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft);
      }}
    >
      <h3>{draft.id === undefined ? 'New rule' : 'Edit rule'}</h3>
      <div className="form-row">
        <label className="field">
          <span className="label">Rule name</span>
          <input type="text" value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="field narrow">
          <span className="label">Minimum severity</span>
          <select
            value={draft.minSeverity}
            onChange={(e) => set({ minSeverity: e.target.value as Severity })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {severityPhrase(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />{' '}
          Enabled
        </label>
      </div>
      <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="label">Metrics</legend>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.allMetrics}
            onChange={(e) => set({ allMetrics: e.target.checked })}
          />{' '}
          All metrics
        </label>
        {!draft.allMetrics && (
          <div role="group" aria-label="Metrics of the rule" style={METRIC_GRID}>
            {metrics.map((m) => (
              <label key={m.name} className="inline">
                <input
                  type="checkbox"
                  checked={draft.metrics.includes(m.name)}
                  onChange={(e) => toggleMetric(m.name, e.target.checked)}
                />{' '}
                {m.label}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="rule-cohorts">Cohorts (one filter per line; empty for any cohort)</label>
        <textarea
          id="rule-cohorts"
          rows={2}
          value={draft.cohorts}
          spellCheck={false}
          placeholder="os=iOS&#10;device=mobile&browser=Safari"
          onChange={(e) => set({ cohorts: e.target.value })}
        />
        <p className="hint">
          dimension=value, joined with &amp; for a combined cohort. Narrower cohorts match too (os=iOS also
          matches os=iOS &amp; browser=Safari). Dimensions: {dimensions.join(', ')}.
        </p>
      </div>
      <div className="form-row">
        <label className="inline">
          <input type="checkbox" checked={draft.quiet} onChange={(e) => set({ quiet: e.target.checked })} />{' '}
          Quiet hours
        </label>
        {draft.quiet && (
          <>
            <label className="field narrow">
              <span className="label">From</span>
              <input
                type="time"
                value={draft.quietFrom}
                onChange={(e) => set({ quietFrom: e.target.value })}
              />
            </label>
            <label className="field narrow">
              <span className="label">To</span>
              <input type="time" value={draft.quietTo} onChange={(e) => set({ quietTo: e.target.value })} />
            </label>
            <p className="hint">
              Local time of the workspace. No desktop notification then; the inbox entry is still made.
            </p>
          </>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
