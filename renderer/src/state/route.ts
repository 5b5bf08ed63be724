import { createContext, useContext } from 'react';
import type { PlaybookKind } from '../../../shared/alerts';
import type { Cohort } from '../../../shared/explore';

export type AlertsTab = 'inbox' | 'rules' | 'playbooks';

/** Where the analyst is; views link to each other with these (no URL routing: the page has one address). */
export type Route =
  | { view: 'workspace' }
  | { view: 'import' }
  | { view: 'overview' }
  | { view: 'incidents'; incidentId?: string }
  | { view: 'cohorts'; metric?: string; within?: Cohort; from?: number; to?: number }
  | { view: 'replay'; incidentId?: string }
  | { view: 'reports'; incidentId?: string }
  | { view: 'alerts'; tab?: AlertsTab; kind?: PlaybookKind }
  | { view: 'settings' };

export type ViewName = Route['view'];

export const NavigateContext = createContext<(route: Route) => void>(() => undefined);

export function useNavigate(): (route: Route) => void {
  return useContext(NavigateContext);
}
