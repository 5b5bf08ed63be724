import type { Mapping, PiiFinding } from '../../shared/ingest';
import { detectPii } from '../mask/pii';

/** Decides, per column that looks like PII, what import does with it, and records the decision. */
export function planPii(mapping: Mapping, columns: string[], sample: Record<string, unknown>[]) {
  const findings: PiiFinding[] = [];
  const maskedColumns = new Set<string>();
  const keepPlain = new Set(mapping.keepPlain ?? []);
  for (const column of columns) {
    const finding = detectPii(
      column,
      sample.map((r) => r[column]),
    );
    if (!finding) continue;
    const role = mapping.columns[column];
    if (!role || role.role === 'ignore') finding.action = 'drop';
    else if (role.role === 'identifier')
      finding.action = ['user', 'session', 'order', 'anonymous_id'].includes(role.as)
        ? 'pseudonymise'
        : 'drop';
    else if (role.role === 'dimension') {
      if (keepPlain.has(column)) finding.action = 'kept_plain';
      else {
        finding.action = 'mask_dimension';
        maskedColumns.add(column);
      }
    } else finding.action = 'redact';
    findings.push(finding);
  }
  return { findings, maskedColumns };
}
