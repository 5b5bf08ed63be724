import { api } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import type { Theme } from '../state/theme';
import { useAsync } from '../state/useAsync';
import { useCatalog } from '../state/useCatalog';
import { useWorkspace } from '../state/workspace';
import { CustomMetricsPanel } from './settings/CustomMetricsPanel';
import { SettingsForm } from './settings/SettingsForm';

interface Props {
  onTheme(theme: Theme): void;
}

/** Workspace settings (stored in the workspace) and the app's look (stored in this app). */
export function SettingsView({ onTheme }: Props) {
  const { info, theme } = useWorkspace();
  const settings = useAsync(() => api().settings.get(info.path), [info.path]);
  const catalog = useCatalog();
  // Kept on screen while the catalog reloads (after a metric is defined), so the forms keep their drafts.
  const metrics = 'data' in catalog.state ? catalog.state.data : undefined;
  return (
    <div className="view">
      <header className="view-header">
        <h1>Settings</h1>
        <p className="muted">
          Stored in the workspace {info.path.split(/[\\/]/).pop()}: everyone who opens it gets the same
          results.
        </p>
      </header>
      {settings.state.status === 'error' && (
        <ErrorMessage
          title="Settings are unavailable"
          error={settings.state.error}
          onRetry={settings.reload}
        />
      )}
      {catalog.state.status === 'error' && (
        <ErrorMessage
          title="The metric catalog is unavailable"
          error={catalog.state.error}
          onRetry={catalog.reload}
        />
      )}
      {settings.state.status === 'loading' && <Loading />}
      {settings.state.status === 'ok' && metrics && (
        <SettingsForm initial={settings.state.data} catalog={metrics} />
      )}
      {metrics && <CustomMetricsPanel catalog={metrics} onChanged={catalog.reload} />}
      <section className="panel" aria-labelledby="look-title">
        <h2 id="look-title">Appearance (this app only)</h2>
        <div role="radiogroup" aria-label="Theme" className="radios">
          {(['light', 'dark'] as const).map((t) => (
            <label key={t} className="inline">
              <input type="radio" name="theme" checked={theme === t} onChange={() => onTheme(t)} /> {t}
            </label>
          ))}
        </div>
      </section>
    </div>
  );
}
