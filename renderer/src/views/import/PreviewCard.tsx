import type { FilePreview, Mapping } from '../../../../shared/ingest';
import { MappingEditor } from './MappingEditor';
import { SampleRows } from './SampleRows';

interface Props {
  preview: FilePreview;
  mapping: Mapping;
  edited: boolean;
  onMappingChange(mapping: Mapping): void;
  onReset(): void;
  /** Reads the file again with another preset; null while that preview is being made. */
  onPresetChange: ((preset: string) => void) | null;
}

/** What import will do with one file: detected format, preset and mapping (editable), PII, first rows. */
export function PreviewCard({ preview, mapping, edited, onMappingChange, onReset, onPresetChange }: Props) {
  const plain = preview.pii.filter((p) => p.action === 'kept_plain');
  return (
    <section className="panel" aria-label={`Preview of ${preview.file}`}>
      <h3 className="file-name">{preview.file}</h3>
      <dl className="facts inline">
        <dt>Format</dt>
        <dd>
          {preview.format.toUpperCase()}
          {preview.compression === 'gzip' ? ' (gzip)' : ''}
          {preview.delimiter ? `, delimiter ${JSON.stringify(preview.delimiter)}` : ''}
        </dd>
        <dt>Shape</dt>
        <dd>{preview.shape.replace('_', ' ')}</dd>
        <dt>Preset</dt>
        <dd>
          <select
            aria-label={`Preset for ${preview.file}`}
            value={preview.preset}
            disabled={!onPresetChange}
            onChange={(e) => onPresetChange?.(e.target.value)}
            title={preview.presets.find((p) => p.name === preview.preset)?.description}
          >
            {preview.presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} — {p.description}
              </option>
            ))}
          </select>
        </dd>
        <dt>PII columns</dt>
        <dd>{preview.pii.length === 0 ? 'none found' : preview.pii.map((p) => p.column).join(', ')}</dd>
      </dl>
      {preview.pii.length > 0 && (
        <p className="notice" role="note">
          Identifier columns are turned into keyed pseudonyms or dropped at import; raw values are never
          written to the workspace.
          {plain.length > 0 &&
            ` Kept as plain values by an explicit choice: ${plain.map((p) => p.column).join(', ')}.`}
        </p>
      )}
      {preview.notes.length > 0 && (
        <ul className="notes">
          {preview.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <details open>
        <summary>
          Column mapping{edited ? ' (edited)' : ''}
          {preview.unmappedColumns.length > 0 && ` — ${preview.unmappedColumns.length} columns not imported`}
        </summary>
        <MappingEditor
          columns={preview.columns}
          mapping={mapping}
          pii={preview.pii}
          onChange={onMappingChange}
        />
        {edited && (
          <button type="button" onClick={onReset}>
            Back to the detected mapping
          </button>
        )}
      </details>
      <details>
        <summary>First {preview.sampleRows.length} rows</summary>
        <SampleRows columns={preview.columns} rows={preview.sampleRows} />
      </details>
    </section>
  );
}
