import type { Route } from './state/route';
import type { Theme } from './state/theme';
import { AlertsView } from './views/alerts/AlertsView';
import { CohortsView } from './views/CohortsView';
import { ImportView } from './views/ImportView';
import { IncidentsView } from './views/IncidentsView';
import { OverviewView } from './views/OverviewView';
import { ReplayView } from './views/ReplayView';
import { ReportsView } from './views/ReportsView';
import { SettingsView } from './views/SettingsView';

/** The view of the current route, inside an open workspace. */
export function ViewRouter({ route, onTheme }: { route: Route; onTheme(theme: Theme): void }) {
  switch (route.view) {
    case 'import':
      return <ImportView />;
    case 'incidents':
      return <IncidentsView key={route.incidentId ?? 'list'} incidentId={route.incidentId} />;
    case 'cohorts':
      return <CohortsView key={JSON.stringify(route)} {...route} />;
    case 'replay':
      return <ReplayView incidentId={route.incidentId} />;
    case 'reports':
      return <ReportsView incidentId={route.incidentId} />;
    case 'alerts':
      return <AlertsView key={`${route.tab ?? 'inbox'}-${route.kind ?? ''}`} {...route} />;
    case 'settings':
      return <SettingsView onTheme={onTheme} />;
    case 'overview':
    case 'workspace':
      return <OverviewView />;
  }
}
