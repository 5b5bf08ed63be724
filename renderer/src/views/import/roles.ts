import type { ColumnRole } from '../../../../shared/ingest';
import { DIMENSIONS, EVENT_VALUES, IDENTIFIER_ROLES } from '../../../../shared/events';

/** A column role as one string for a <select>: "dimension:country", "identifier:user", "time". */
export function encodeRole(role: ColumnRole): string {
  return 'as' in role ? `${role.role}:${role.as}` : role.role;
}

export function decodeRole(value: string): ColumnRole {
  const [role, as] = value.split(':') as [ColumnRole['role'], string | undefined];
  return (as === undefined ? { role } : { role, as }) as ColumnRole;
}

export interface RoleOption {
  value: string;
  label: string;
  group: string;
}

const SIMPLE: RoleOption[] = [
  { value: 'ignore', label: 'Ignore (not imported)', group: 'Basic' },
  { value: 'time', label: 'Event time', group: 'Basic' },
  { value: 'end_time', label: 'End time', group: 'Basic' },
  { value: 'event', label: 'Event name', group: 'Basic' },
  { value: 'call_type', label: 'Call type (Segment)', group: 'Basic' },
  { value: 'text', label: 'Free text (PII redacted)', group: 'Basic' },
];

const ANNOTATIONS: RoleOption[] = [
  { value: 'annotation_kind', label: 'Annotation kind', group: 'Annotations' },
  { value: 'annotation_label', label: 'Annotation label', group: 'Annotations' },
  { value: 'annotation_cohort', label: 'Annotation cohort', group: 'Annotations' },
];

/** Every role a column can be given, grouped; a metric-table measure keeps the column's own name. */
export function roleOptions(column: string): RoleOption[] {
  return [
    ...SIMPLE,
    ...IDENTIFIER_ROLES.map((as) => ({
      value: `identifier:${as}`,
      label: `Identifier: ${as} (${['user', 'session', 'order'].includes(as) ? 'pseudonymised' : 'dropped'})`,
      group: 'Identifiers',
    })),
    ...DIMENSIONS.map((as) => ({ value: `dimension:${as}`, label: `Dimension: ${as}`, group: 'Dimensions' })),
    ...EVENT_VALUES.map((as) => ({ value: `value:${as}`, label: `Value: ${as}`, group: 'Values' })),
    { value: `measure:${column}`, label: `Measure: ${column}`, group: 'Metric table' },
    ...ANNOTATIONS,
  ];
}

/** A short description of what import does with a column of this role. */
export function roleEffect(role: ColumnRole): string {
  switch (role.role) {
    case 'identifier':
      return ['user', 'session', 'order'].includes(role.as) ? 'keyed pseudonym' : 'dropped';
    case 'text':
      return 'PII redacted';
    case 'ignore':
      return 'not imported';
    default:
      return '';
  }
}
