import { FunnelscopeError } from '../../shared/errors';
import type { ColumnRole, Mapping, Shape } from '../../shared/ingest';
import type { OpenedFile } from './read/types';
import { PRESETS, presetByName, type Preset } from './presets';
import { normaliseColumnName, ROLE_SYNONYMS } from './synonyms';

const ROLES_BY_SHAPE: Record<Shape, ColumnRole['role'][]> = {
  clickstream: ['time', 'event', 'identifier', 'dimension', 'value', 'text'],
  segment: ['time', 'event', 'call_type', 'identifier', 'dimension', 'value', 'text'],
  orders: ['time', 'identifier', 'dimension', 'value', 'text'],
  metric_table: ['time', 'dimension', 'text'],
  annotations: ['time', 'end_time', 'annotation_kind', 'annotation_label', 'annotation_cohort', 'text'],
};

function roleKey(role: ColumnRole): string {
  return 'as' in role ? `${role.role}:${role.as}` : role.role;
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

/** Assigns roles to columns by name synonyms, each role to at most one column (text excepted). */
export function assignRoles(
  columns: string[],
  shape: Shape,
  sample: Record<string, unknown>[],
): Record<string, ColumnRole> {
  const allowed = new Set(ROLES_BY_SHAPE[shape]);
  const byNormalised = new Map<string, string>();
  for (const column of columns) {
    const key = normaliseColumnName(column);
    if (!byNormalised.has(key)) byNormalised.set(key, column);
  }
  const assigned: Record<string, ColumnRole> = {};
  const usedRoles = new Set<string>();
  for (const { role, names } of ROLE_SYNONYMS) {
    if (!allowed.has(role.role)) continue;
    for (const name of names) {
      const column = byNormalised.get(name);
      if (!column || assigned[column]) continue;
      const key = roleKey(role);
      if (role.role !== 'text' && usedRoles.has(key)) break;
      assigned[column] = role;
      usedRoles.add(key);
      if (role.role !== 'text') break;
    }
  }
  if (shape === 'segment' && byNormalised.has('type'))
    assigned[byNormalised.get('type') as string] = { role: 'call_type' };
  if (shape === 'metric_table') {
    for (const column of columns) {
      if (assigned[column]) continue;
      const values = sample.map((r) => r[column]).filter((v) => v !== undefined && v !== null && v !== '');
      if (values.length > 0 && values.every(isNumeric))
        assigned[column] = { role: 'measure', as: normaliseColumnName(column) };
    }
  }
  return assigned;
}

export interface DetectedMapping {
  mapping: Mapping;
  preset: string;
  unmappedColumns: string[];
  notes: string[];
}

function detectPreset(columns: string[]): Preset | undefined {
  const names = new Set(columns.map(normaliseColumnName));
  return PRESETS.find((p) => p.matches(names));
}

/** Checks a mapping against the file and the shape's needs; every message says how to fix it. */
export function validateMapping(mapping: Mapping, columns: string[]): void {
  const missing = Object.keys(mapping.columns).filter((c) => !columns.includes(c));
  if (missing.length > 0)
    throw new FunnelscopeError(
      'MAPPING_INVALID',
      `The mapping names column(s) the file does not have: ${missing.join(', ')}. The file's columns are: ${columns.join(', ')}.`,
    );
  const roles = Object.values(mapping.columns);
  const has = (role: ColumnRole['role']) => roles.some((r) => r.role === role);
  const need = (role: ColumnRole['role'], what: string) => {
    if (!has(role))
      throw new FunnelscopeError(
        'MAPPING_INVALID',
        `A ${mapping.shape} import needs ${what}, and no column is mapped to it. Columns: ${columns.join(', ')}. ` +
          'Pass --mapping FILE to say which column it is.',
      );
  };
  need('time', 'a time column');
  if (mapping.shape === 'clickstream') need('event', 'an event-type column');
  if (mapping.shape === 'segment' && !has('event') && !has('call_type'))
    need('event', 'an event or type column');
  if (mapping.shape === 'metric_table') need('measure', 'at least one numeric count or sum column');
  if (mapping.shape === 'annotations') {
    need('annotation_kind', 'a kind column (deploy, promo, incident, campaign)');
    need('annotation_label', 'a label column');
  }
  if (mapping.shape === 'orders' && !roles.some((r) => r.role === 'value' && r.as === 'revenue'))
    throw new FunnelscopeError('MAPPING_INVALID', 'An orders import needs an amount (revenue) column.');
}

export function detectMapping(
  file: OpenedFile,
  options: { preset?: string; mapping?: Mapping },
): DetectedMapping {
  const notes: string[] = [];
  let mapping: Mapping;
  let presetName: string;
  if (options.mapping) {
    mapping = { ...options.mapping };
    presetName = options.mapping.preset ?? 'custom';
    notes.push('Column mapping taken from the mapping file.');
  } else {
    let preset: Preset | undefined;
    if (options.preset) {
      preset = presetByName(options.preset);
      if (!preset)
        throw new FunnelscopeError(
          'BAD_ARGUMENT',
          `Unknown preset "${options.preset}". Presets: ${PRESETS.map((p) => p.name).join(', ')}.`,
        );
    } else {
      preset = detectPreset(file.columns);
      if (!preset)
        throw new FunnelscopeError(
          'SHAPE_UNKNOWN',
          `Could not tell what ${file.path} holds from its columns (${file.columns.slice(0, 30).join(', ')}). ` +
            `Choose a preset with --preset (${PRESETS.map((p) => p.name).join(', ')}) or describe the columns with --mapping FILE.`,
        );
      notes.push(`Recognised as ${preset.description} (preset "${preset.name}").`);
    }
    presetName = preset.name;
    mapping = {
      shape: preset.shape,
      preset: preset.name,
      columns: assignRoles(file.columns, preset.shape, file.sample),
      timeFormat: 'auto',
    };
    if (preset.revenueFromPrice) mapping.revenueFromPrice = true;
  }
  validateMapping(mapping, file.columns);
  const unmappedColumns = file.columns.filter(
    (c) => !mapping.columns[c] || mapping.columns[c]?.role === 'ignore',
  );
  if (unmappedColumns.length > 0) notes.push(`Not imported (no role): ${unmappedColumns.join(', ')}.`);
  return { mapping, preset: presetName, unmappedColumns, notes };
}
