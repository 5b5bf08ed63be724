import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErrorShape } from '../../shared/errors';
import type { WorkspaceSettings } from '../../shared/explore';
import type { WorkspaceInfo } from '../../shared/workspace';
import { api, errorShape } from './api';
import { Sidebar, VIEWS } from './components/Sidebar';
import { ThemeToggle } from './components/ThemeToggle';
import { dateFormatter } from './format/dates';
import { setMoneyCurrency } from './format/numbers';
import { rememberRecent } from './state/recent';
import { NavigateContext, type Route } from './state/route';
import { useTheme } from './state/theme';
import { ThemeContext, WorkspaceContext, type WorkspaceContextValue } from './state/workspace';
import { ViewRouter } from './ViewRouter';
import { WorkspaceView } from './views/WorkspaceView';

/** Settings are optional at start: a workspace opens even while settings.get is unavailable. */
async function loadSettings(path: string): Promise<WorkspaceSettings | null> {
  try {
    return await api().settings.get(path);
  } catch {
    return null;
  }
}

export function App() {
  const [theme, setTheme] = useTheme();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [route, setRoute] = useState<Route>({ view: 'workspace' });
  const [startupError, setStartupError] = useState<{ path: string; error: ErrorShape } | null>(null);
  const [startupOpening, setStartupOpening] = useState<string | null>(null);

  const onOpened = useCallback((opened: WorkspaceInfo) => {
    rememberRecent(opened.path);
    setInfo(opened);
    setSettings(null);
    void loadSettings(opened.path).then(setSettings);
    setRoute(opened.events > 0 ? { view: 'overview' } : { view: 'import' });
  }, []);

  // The shell may name the workspace to open in the page address (`?workspace=…`, e.g. from a recent-files menu).
  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get('workspace');
    if (!requested) return;
    setStartupOpening(requested);
    api()
      .workspace.open(requested)
      .then(onOpened, (error: unknown) => setStartupError({ path: requested, error: errorShape(error) }))
      .finally(() => setStartupOpening(null));
  }, [onOpened]);

  const refresh = useCallback(async () => {
    if (!info) return;
    const [next, nextSettings] = await Promise.all([
      api().workspace.info(info.path),
      loadSettings(info.path),
    ]);
    setInfo(next);
    setSettings(nextSettings);
  }, [info]);

  const refreshSettings = useCallback(async () => {
    if (info) setSettings(await loadSettings(info.path));
  }, [info]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const view = VIEWS[Number(event.key) - 1];
      if (view && (info || !view.needsWorkspace)) {
        event.preventDefault();
        setRoute({ view: view.name } as Route);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [info]);

  // Set before the children render, so every amount of this render carries the workspace's currency.
  setMoneyCurrency(settings?.currency ?? null);
  const context = useMemo<WorkspaceContextValue | null>(
    () =>
      info && {
        info,
        settings,
        dates: dateFormatter(settings?.timeZone ?? info.timeZone),
        theme,
        refresh,
        refreshSettings,
      },
    [info, settings, theme, refresh, refreshSettings],
  );

  return (
    <ThemeContext.Provider value={theme}>
      <NavigateContext.Provider value={setRoute}>
        <div className="app">
          <header className="topbar">
            <span className="brand">Funnelscope</span>
            <span className="workspace-path" title={info?.path}>
              {info ? info.path : 'No workspace open'}
            </span>
            {context && <span className="muted small">Times in {context.dates.timeZone}</span>}
            <ThemeToggle theme={theme} onChange={setTheme} />
          </header>
          <Sidebar
            current={route.view}
            hasWorkspace={Boolean(info)}
            onSelect={(view) => setRoute({ view } as Route)}
          />
          <main className="content">
            {route.view === 'workspace' || !context ? (
              <WorkspaceView onOpened={onOpened} startupError={startupError} opening={startupOpening} />
            ) : (
              <WorkspaceContext.Provider value={context}>
                <ViewRouter route={route} onTheme={setTheme} />
              </WorkspaceContext.Provider>
            )}
          </main>
        </div>
      </NavigateContext.Provider>
    </ThemeContext.Provider>
  );
}
