import type { ViewName } from '../state/route';

export const VIEWS: { name: ViewName; label: string; needsWorkspace: boolean }[] = [
  { name: 'workspace', label: 'Workspaces', needsWorkspace: false },
  { name: 'overview', label: 'Overview', needsWorkspace: true },
  { name: 'incidents', label: 'Incidents', needsWorkspace: true },
  { name: 'cohorts', label: 'Cohorts', needsWorkspace: true },
  { name: 'replay', label: 'Replay', needsWorkspace: true },
  { name: 'import', label: 'Import', needsWorkspace: true },
  { name: 'reports', label: 'Reports', needsWorkspace: true },
  { name: 'alerts', label: 'Alerts', needsWorkspace: true },
  { name: 'settings', label: 'Settings', needsWorkspace: true },
];

interface Props {
  current: ViewName;
  hasWorkspace: boolean;
  onSelect(view: ViewName): void;
}

/** The views, reachable with Alt+1…9 as well (App listens for the shortcut). */
export function Sidebar({ current, hasWorkspace, onSelect }: Props) {
  return (
    <nav className="sidebar" aria-label="Views">
      <ul>
        {VIEWS.map((v, i) => (
          <li key={v.name}>
            <button
              type="button"
              className={current === v.name ? 'nav active' : 'nav'}
              aria-current={current === v.name ? 'page' : undefined}
              disabled={v.needsWorkspace && !hasWorkspace}
              title={`Alt+${i + 1}`}
              onClick={() => onSelect(v.name)}
            >
              {v.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
