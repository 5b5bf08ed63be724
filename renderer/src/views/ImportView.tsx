import { useState } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import type { ImportProgress, ImportResult } from '../../../shared/ingest';
import { isImportFailure } from '../../../shared/ingest';
import { api, errorShape, fileDialogs } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { ImportProgressPanel } from '../components/ImportProgressPanel';
import { Loading } from '../components/Loading';
import { RunDetectionButton } from '../components/RunDetectionButton';
import { PathField, splitPaths } from '../components/PathField';
import { useNavigate } from '../state/route';
import { useJob } from '../state/useJob';
import { useWorkspace } from '../state/workspace';
import { ImportResultCard } from './import/ImportResultCard';
import { planImport, type FileChoice } from './import/planImport';
import { PreviewCard } from './import/PreviewCard';

type Failure = { file: string; error: ErrorShape };

/** Files → preview (format, preset, mapping, PII) → import with progress and Cancel → result with rejects. */
export function ImportView() {
  const { info, refresh } = useWorkspace();
  const navigate = useNavigate();
  const [paths, setPaths] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [rereading, setRereading] = useState<string | null>(null);
  const [choices, setChoices] = useState<FileChoice[]>([]);
  const [refused, setRefused] = useState<Failure[]>([]);
  const job = useJob<ImportProgress, ImportResult[]>('import');
  const dialogs = fileDialogs();

  async function preview() {
    setPreviewing(true);
    job.reset();
    const files = splitPaths(paths);
    const answers = await Promise.all(
      files.map((file) =>
        api()
          .ingest.preview(file)
          .then((preview) => ({ preview }))
          .catch((error: unknown) => ({ file, error: errorShape(error) })),
      ),
    );
    setChoices(
      answers.flatMap((a) =>
        'preview' in a ? [{ preview: a.preview, mapping: a.preview.mapping, edited: false }] : [],
      ),
    );
    setRefused(answers.flatMap((a) => ('error' in a ? [a] : [])));
    setPreviewing(false);
  }

  /** Reads one file again with the preset the analyst chose; a preset that does not fit says why. */
  async function changePreset(file: string, preset: string) {
    setRereading(file);
    try {
      const next = await api().ingest.preview(file, { preset });
      setChoices((all) =>
        all.map((c) =>
          c.preview.file === file ? { preview: next, mapping: next.mapping, edited: false, preset } : c,
        ),
      );
      setRefused((all) => all.filter((f) => f.file !== file));
    } catch (error) {
      setRefused((all) => [...all.filter((f) => f.file !== file), { file, error: errorShape(error) }]);
    } finally {
      setRereading(null);
    }
  }

  async function runImport() {
    await job.start(async (j) => {
      const results: ImportResult[] = [];
      for (const step of planImport(choices)) {
        results.push(...(await api().ingest.importFiles(info.path, step.files, step.options, j)));
        if (results.some((r) => isImportFailure(r) && r.error.code === 'CANCELLED')) break;
      }
      return results;
    });
    await refresh().catch(() => undefined);
  }

  const state = job.state;
  const editing = state.status === 'idle' || state.status === 'error' || state.status === 'cancelled';
  return (
    <div className="view">
      <header className="view-header">
        <h1>Import</h1>
        <p className="muted">
          CSV, TSV, JSON Lines or Parquet (optionally gzip): event exports (GA4-like, REES46-like, Segment),
          orders, metric tables, deploy and promo annotations. Re-importing a file already imported adds
          nothing.
        </p>
      </header>
      {editing && (
        <section className="panel">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void preview();
            }}
          >
            <PathField
              label="Files to import (one path per line)"
              value={paths}
              onChange={setPaths}
              multiple
              placeholder="/data/exports/events-2026-10.csv.gz"
              browse={dialogs ? () => dialogs.chooseImportFiles() : null}
              hint="A relative path is taken in your workspace folder."
            />
            <button type="submit" disabled={previewing || splitPaths(paths).length === 0}>
              Preview
            </button>
          </form>
        </section>
      )}
      {previewing && <Loading label="Reading the first rows…" />}
      {editing &&
        refused.map((f) => (
          <ErrorMessage key={f.file} title={`${f.file} cannot be imported`} error={f.error} />
        ))}
      {editing &&
        choices.map((choice, i) => (
          <PreviewCard
            key={choice.preview.file}
            preview={choice.preview}
            mapping={choice.mapping}
            edited={choice.edited}
            onMappingChange={(mapping) =>
              setChoices((all) => all.map((c, j) => (j === i ? { ...c, mapping, edited: true } : c)))
            }
            onReset={() =>
              setChoices((all) =>
                all.map((c, j) => (j === i ? { ...c, mapping: c.preview.mapping, edited: false } : c)),
              )
            }
            onPresetChange={rereading ? null : (preset) => void changePreset(choice.preview.file, preset)}
          />
        ))}
      {editing && choices.length > 0 && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void runImport()}>
            Import {choices.length === 1 ? 'this file' : `${choices.length} files`} into{' '}
            {info.path.split(/[\\/]/).pop()}
          </button>
        </div>
      )}
      {state.status === 'running' && (
        <ImportProgressPanel
          title="Importing"
          progress={state.progress}
          startedAt={state.startedAt}
          onCancel={() => void job.cancel()}
        />
      )}
      {state.status === 'cancelled' && <p role="status">Import cancelled; nothing was kept.</p>}
      {state.status === 'error' && <ErrorMessage title="The import failed" error={state.error} />}
      {state.status === 'done' && (
        <>
          <h2>Result</h2>
          {state.result.map((result) => (
            <ImportResultCard key={result.file} result={result} />
          ))}
          <div className="actions">
            <RunDetectionButton
              primary
              label="Look for incidents now"
              onDone={() => navigate({ view: 'incidents' })}
            />
            <button
              type="button"
              onClick={() => {
                job.reset();
                setChoices([]);
                setPaths('');
              }}
            >
              Import more files
            </button>
          </div>
        </>
      )}
    </div>
  );
}
