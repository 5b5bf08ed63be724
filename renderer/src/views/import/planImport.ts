import type { FilePreview, ImportOptions, Mapping } from '../../../../shared/ingest';

export interface FileChoice {
  preview: FilePreview;
  mapping: Mapping;
  edited: boolean;
  /** A preset the analyst chose instead of the detected one. */
  preset?: string;
}

export interface ImportStep {
  files: string[];
  options: ImportOptions;
}

/**
 * Files the analyst left alone go in one call (the engine detects each file's shape itself); a file with an
 * edited mapping goes in its own call with that mapping, and one with a chosen preset with that preset, both
 * recorded in its source row. An edited mapping wins over a preset (it was edited from the preset's).
 */
export function planImport(choices: FileChoice[]): ImportStep[] {
  const detected = choices.filter((c) => !c.edited && !c.preset).map((c) => c.preview.file);
  const steps: ImportStep[] = detected.length > 0 ? [{ files: detected, options: {} }] : [];
  for (const choice of choices) {
    if (choice.edited) steps.push({ files: [choice.preview.file], options: { mapping: choice.mapping } });
    else if (choice.preset) steps.push({ files: [choice.preview.file], options: { preset: choice.preset } });
  }
  return steps;
}
