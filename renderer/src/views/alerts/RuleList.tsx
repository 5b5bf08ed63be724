import type { CSSProperties } from 'react';
import type { AlertRule } from '../../../../shared/alerts';
import { metricLabel } from '../../format/metric';
import { ruleSummary } from './ruleForm';

interface Props {
  rules: AlertRule[];
  busy: boolean;
  onEdit(rule: AlertRule): void;
  onDelete(rule: AlertRule): void;
}

const ROW: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: '1fr auto auto',
  gap: '0.75rem',
  alignItems: 'center',
};

/** The workspace's rules, each with what it matches and its actions. */
export function RuleList({ rules, busy, onEdit, onDelete }: Props) {
  if (rules.length === 0)
    return (
      <p className="muted">No rule: new incidents are not filed in the inbox and raise no notification.</p>
    );
  return (
    <section className="panel" aria-label="Rules of this workspace">
      <ul className="evidence" aria-label="Alert rules">
        {rules.map((rule) => (
          <li key={rule.id} style={ROW} aria-label={`Rule ${rule.name}`}>
            <span>
              <strong>{rule.name}</strong> {!rule.enabled && <span className="badge warn">off</span>}
              <br />
              <span className="muted small">{ruleSummary(rule, metricLabel)}</span>
            </span>
            <button type="button" disabled={busy} onClick={() => onEdit(rule)}>
              Edit
            </button>
            <button type="button" disabled={busy} onClick={() => onDelete(rule)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
