import type { PlaybookKind } from '../../../../shared/alerts';
import { useNavigate, type AlertsTab } from '../../state/route';
import { InboxPanel } from './InboxPanel';
import { PlaybooksPanel } from './PlaybooksPanel';
import { RulesPanel } from './RulesPanel';

const TABS: { tab: AlertsTab; label: string }[] = [
  { tab: 'inbox', label: 'Inbox' },
  { tab: 'rules', label: 'Rules' },
  { tab: 'playbooks', label: 'Playbooks' },
];

/** Alerts: the inbox and digest, the rules that fill it, and the workspace's playbooks. */
export function AlertsView({ tab = 'inbox', kind }: { tab?: AlertsTab; kind?: PlaybookKind }) {
  const navigate = useNavigate();
  return (
    <div className="view">
      <header className="view-header">
        <h1>Alerts</h1>
        <p className="muted">
          New incidents that match your rules, filed after each detection run. Nothing is sent anywhere:
          export a masked digest and send it yourself.
        </p>
      </header>
      <div className="actions" role="tablist" aria-label="Alerts sections">
        {TABS.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            aria-selected={tab === t.tab}
            className={tab === t.tab ? 'primary' : ''}
            onClick={() => navigate({ view: 'alerts', tab: t.tab })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'inbox' && <InboxPanel />}
      {tab === 'rules' && <RulesPanel />}
      {tab === 'playbooks' && <PlaybooksPanel {...(kind ? { initialKind: kind } : {})} />}
    </div>
  );
}
