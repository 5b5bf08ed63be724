import type { Route } from './state/route';
import { ImportView } from './views/ImportView';

/** The view of the current route, inside an open workspace. */
export function ViewRouter({ route }: { route: Route }) {
  switch (route.view) {
    case 'import':
      return <ImportView />;
    default:
      return <ImportView />;
  }
}
