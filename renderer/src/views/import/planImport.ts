import type { FilePreview, ImportOptions, Mapping } from '../../../../shared/ingest';

export interface FileChoice {
  preview: FilePreview;
  mapping: Mapping;
  edited: boolean;
}

export interface ImportStep {
  files: string[];
  options: ImportOptions;
}

/**
 * Files whose mapping the analyst left alone go in one call (the engine detects each file's shape itself);
 * a file with an edited mapping goes in its own call, with that mapping, recorded in its source row.
 */
export function planImport(choices: FileChoice[]): ImportStep[] {
  const detected = choices.filter((c) => !c.edited).map((c) => c.preview.file);
  const steps: ImportStep[] = detected.length > 0 ? [{ files: detected, options: {} }] : [];
  for (const choice of choices.filter((c) => c.edited))
    steps.push({ files: [choice.preview.file], options: { mapping: choice.mapping } });
  return steps;
}
