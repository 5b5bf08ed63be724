import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FilePreview, Mapping } from '../../shared/ingest';
import { planImport, type FileChoice } from '../../renderer/src/views/import/planImport';

const mapping = (shape: Mapping['shape']): Mapping => ({ shape, columns: {} }) as unknown as Mapping;
const choice = (file: string, extra: Partial<FileChoice> = {}): FileChoice => ({
  preview: { file, mapping: mapping('clickstream') } as FilePreview,
  mapping: mapping('clickstream'),
  edited: false,
  ...extra,
});

test('untouched files import together; a chosen preset or an edited mapping gets its own call', () => {
  const edited = mapping('orders');
  const steps = planImport([
    choice('a.csv'),
    choice('b.csv', { preset: 'rees46' }),
    choice('c.csv', { edited: true, mapping: edited }),
    choice('d.csv'),
    choice('e.csv', { edited: true, mapping: edited, preset: 'ga4' }),
  ]);
  assert.deepEqual(steps, [
    { files: ['a.csv', 'd.csv'], options: {} },
    { files: ['b.csv'], options: { preset: 'rees46' } },
    { files: ['c.csv'], options: { mapping: edited } },
    { files: ['e.csv'], options: { mapping: edited } },
  ]);
});

test('nothing to import plans nothing', () => {
  assert.deepEqual(planImport([]), []);
});
