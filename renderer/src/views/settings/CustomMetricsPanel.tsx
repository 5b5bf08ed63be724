import { useState } from 'react';
import {
  SUMMABLE_COLUMNS,
  type CustomMetricInput,
  type EventSelector,
  type SummableColumn,
} from '../../../../shared/custom-metrics';
import type { ErrorShape } from '../../../../shared/errors';
import type { MetricDefinition } from '../../../../shared/metrics';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useWorkspace } from '../../state/workspace';

interface Draft {
  name: string;
  label: string;
  kind: CustomMetricInput['kind'];
  eventTypes: string;
  sumOf: SummableColumn;
  per: string;
  where: string;
  badDirection: NonNullable<CustomMetricInput['badDirection']>;
}

const EMPTY: Draft = {
  name: '',
  label: '',
  kind: 'count',
  eventTypes: '',
  sumOf: 'revenue',
  per: '',
  where: '',
  badDirection: 'both',
};

const list = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** "country=DE & os=iOS" → {country: "DE", os: "iOS"}; the engine checks the names and values. */
function parseWhere(text: string): Record<string, string> | undefined {
  const pairs = text
    .split(/[&,]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const at = p.indexOf('=');
      return at < 0 ? [p, ''] : [p.slice(0, at).trim(), p.slice(at + 1).trim()];
    });
  return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}

function toInput(draft: Draft): CustomMetricInput {
  const where = parseWhere(draft.where);
  const selector = (types: string): EventSelector =>
    where ? { eventTypes: list(types), where } : { eventTypes: list(types) };
  return {
    name: draft.name.trim(),
    ...(draft.label.trim() ? { label: draft.label.trim() } : {}),
    kind: draft.kind,
    numerator: selector(draft.eventTypes),
    ...(draft.kind === 'sum' ? { sumOf: draft.sumOf } : {}),
    ...(draft.kind === 'ratio' ? { denominator: selector(draft.per) } : {}),
    badDirection: draft.badDirection,
  };
}

/**
 * The analyst's own metrics: listed with a way to remove each, and a form to define one (count, sum or ratio
 * of event types, optionally in one cohort). Stored in the workspace; detection watches them from its next run.
 */
export function CustomMetricsPanel({
  catalog,
  onChanged,
}: {
  catalog: MetricDefinition[];
  onChanged(): void;
}) {
  const { info } = useWorkspace();
  const own = catalog.filter((m) => m.custom);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [state, setState] = useState<'idle' | 'saving' | { saved: string } | ErrorShape>('idle');
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  async function define() {
    setState('saving');
    try {
      const metric = await api().metrics.define(info.path, toInput(draft));
      setDraft(EMPTY);
      setState({ saved: metric.name });
      onChanged();
    } catch (error) {
      setState(errorShape(error));
    }
  }

  async function remove(name: string) {
    try {
      await api().metrics.remove(info.path, name);
      setState('idle');
      onChanged();
    } catch (error) {
      setState(errorShape(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="custom-metrics">
      <h2 id="custom-metrics">Your own metrics</h2>
      {own.length === 0 ? (
        <p className="muted">
          None yet. Define a count, a sum or a ratio of event types (for example payment failures on iOS, or
          add-to-carts per product view in Germany); detection watches it from its next run.
        </p>
      ) : (
        <table className="plain" aria-label="Your own metrics">
          <thead>
            <tr>
              <th>Name</th>
              <th>Definition</th>
              <th>Bad news</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {own.map((m) => (
              <tr key={m.name}>
                <td>{m.name}</td>
                <td>{m.label}</td>
                <td>{m.badDirection === 'both' ? 'either way' : m.badDirection}</td>
                <td>
                  <button type="button" onClick={() => void remove(m.name)} aria-label={`Remove ${m.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        aria-label="Define a metric"
        onSubmit={(e) => {
          e.preventDefault();
          void define();
        }}
      >
        <h3>Define a metric</h3>
        <div className="form-row">
          <label className="field narrow">
            <span className="label">Name</span>
            <input
              value={draft.name}
              placeholder="ios_payment_failures"
              onChange={(e) => set({ name: e.target.value })}
              required
            />
          </label>
          <label className="field narrow">
            <span className="label">Kind</span>
            <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as Draft['kind'] })}>
              <option value="count">Count of events</option>
              <option value="sum">Sum of a value</option>
              <option value="ratio">Ratio of two counts</option>
            </select>
          </label>
        </div>
        <div className="form-row">
          {draft.kind === 'sum' && (
            <label className="field narrow">
              <span className="label">Value added up</span>
              <select value={draft.sumOf} onChange={(e) => set({ sumOf: e.target.value as SummableColumn })}>
                {SUMMABLE_COLUMNS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field narrow">
            <span className="label">
              {draft.kind === 'sum' ? 'Of event types' : 'Event types'} (comma-separated)
            </span>
            <input
              value={draft.eventTypes}
              placeholder="payment_failed"
              onChange={(e) => set({ eventTypes: e.target.value })}
              required
            />
          </label>
          {draft.kind === 'ratio' && (
            <label className="field narrow">
              <span className="label">Per event types</span>
              <input
                value={draft.per}
                placeholder="begin_checkout"
                onChange={(e) => set({ per: e.target.value })}
                required
              />
            </label>
          )}
        </div>
        <div className="form-row">
          <label className="field narrow">
            <span className="label">Only in cohort (optional)</span>
            <input
              value={draft.where}
              placeholder="os=iOS & country=DE"
              onChange={(e) => set({ where: e.target.value })}
            />
          </label>
          <label className="field narrow">
            <span className="label">Bad news when it goes</span>
            <select
              value={draft.badDirection}
              onChange={(e) => set({ badDirection: e.target.value as Draft['badDirection'] })}
            >
              <option value="both">either way</option>
              <option value="up">up</option>
              <option value="down">down</option>
            </select>
          </label>
          <label className="field narrow">
            <span className="label">Label (optional)</span>
            <input value={draft.label} onChange={(e) => set({ label: e.target.value })} />
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={state === 'saving'}>
            Define metric
          </button>
          {typeof state === 'object' && 'saved' in state && (
            <span className="ok" role="status">
              Defined {state.saved}. Detection watches it from its next run.
            </span>
          )}
        </div>
        {typeof state === 'object' && 'code' in state && (
          <ErrorMessage title="The metric was not defined" error={state} />
        )}
      </form>
    </section>
  );
}
