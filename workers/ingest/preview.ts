import type { FilePreview, ImportOptions } from '../../shared/ingest';
import { detectMapping } from './detect';
import { planPii } from './pii-plan';
import { PRESETS } from './presets';
import { openFile } from './read/open';

const PREVIEW_ROWS = 20;

/** What an import would do with a file, without touching any workspace. Identifier values are shown masked. */
export async function previewFile(file: string, options: ImportOptions): Promise<FilePreview> {
  const opened = await openFile(
    file,
    options.mapping?.delimiter ? { delimiter: options.mapping.delimiter } : {},
  );
  const detected = detectMapping(opened, options);
  const { findings } = planPii(detected.mapping, opened.columns, opened.sample);
  const hidden = new Set([
    ...findings.map((f) => f.column),
    ...Object.entries(detected.mapping.columns)
      .filter(([, r]) => r.role === 'identifier')
      .map(([c]) => c),
  ]);
  const sampleRows = opened.sample.slice(0, PREVIEW_ROWS).map((row) =>
    Object.fromEntries(
      opened.columns.map((c) => {
        const value = row[c];
        const shown = value === null || value === undefined ? '' : String(value);
        return [c, hidden.has(c) && shown !== '' ? '•••• (masked)' : shown];
      }),
    ),
  );
  const preview: FilePreview = {
    file,
    format: opened.format,
    compression: opened.compression,
    columns: opened.columns,
    sampleRows,
    shape: detected.mapping.shape,
    preset: detected.preset,
    presets: PRESETS.map(({ name, shape, description }) => ({ name, shape, description })),
    mapping: detected.mapping,
    pii: findings,
    unmappedColumns: detected.unmappedColumns,
    notes: detected.notes,
  };
  if (opened.delimiter) preview.delimiter = opened.delimiter;
  return preview;
}
