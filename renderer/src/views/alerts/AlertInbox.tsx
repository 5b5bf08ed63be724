import type { CSSProperties } from 'react';
import type { AlertEntry } from '../../../../shared/alerts';
import { DateTime } from '../../components/DateTime';
import { SeverityBadge } from '../../components/SeverityBadge';
import { cohortPhrase } from '../../format/cohort';
import { metricLabel } from '../../format/metric';
import { formatMoney } from '../../format/numbers';

interface Props {
  entries: AlertEntry[];
  onOpen(entry: AlertEntry): void;
  onToggleRead(entry: AlertEntry): void;
}

/** One line per entry: severity, what happened (bold with a dot while unread), when, and its read toggle. */
const ROW: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: '5rem 1fr 7.5rem',
  gap: '0.15rem 0.75rem',
  alignItems: 'center',
};

/** The inbox, newest first; opening an entry marks it read and shows its incident. */
export function AlertInbox({ entries, onOpen, onToggleRead }: Props) {
  return (
    <section className="panel" aria-labelledby="inbox-title">
      <h2 id="inbox-title">Inbox</h2>
      <ul className="evidence" aria-label="Alert inbox">
        {entries.map((entry) => {
          const i = entry.incident;
          const what = `${metricLabel(i.metric)} ${i.direction === 'down' ? 'fell' : 'rose'} in ${cohortPhrase(i.cohort)}`;
          return (
            <li key={entry.id} style={ROW} aria-label={`${entry.read ? '' : 'Unread: '}${what}`}>
              <SeverityBadge severity={i.severity} />
              <button type="button" className="link" onClick={() => onOpen(entry)}>
                {entry.read ? what : <strong>● {what}</strong>}
              </button>
              <button type="button" onClick={() => onToggleRead(entry)}>
                {entry.read ? 'Mark unread' : 'Mark read'}
              </button>
              <span />
              <span className="muted small">
                began <DateTime ms={Date.parse(i.start)} /> · {formatMoney(i.impact.revenueAtRisk)} at risk ·
                rule “{entry.ruleName}” · raised <DateTime ms={Date.parse(entry.createdAt)} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
