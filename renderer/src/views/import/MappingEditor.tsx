import type { ColumnRole, Mapping, PiiFinding } from '../../../../shared/ingest';
import { decodeRole, encodeRole, roleEffect, roleOptions } from './roles';

interface Props {
  columns: string[];
  mapping: Mapping;
  pii: PiiFinding[];
  onChange(mapping: Mapping): void;
}

const IGNORE: ColumnRole = { role: 'ignore' };

/** Column → role, editable; PII columns are flagged beside their role. */
export function MappingEditor({ columns, mapping, pii, onChange }: Props) {
  const piiByColumn = new Map(pii.map((p) => [p.column, p]));

  function setRole(column: string, value: string) {
    const next = { ...mapping.columns };
    if (value === 'ignore') delete next[column];
    else next[column] = decodeRole(value);
    onChange({ ...mapping, columns: next });
  }

  return (
    <table className="plain mapping">
      <thead>
        <tr>
          <th>Column</th>
          <th>Used as</th>
          <th>Privacy</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => {
          const role = mapping.columns[column] ?? IGNORE;
          const finding = piiByColumn.get(column);
          const options = roleOptions(column);
          const groups = [...new Set(options.map((o) => o.group))];
          return (
            <tr key={column}>
              <td>
                <code>{column}</code>
              </td>
              <td>
                <select
                  aria-label={`Role of column ${column}`}
                  value={encodeRole(role)}
                  onChange={(e) => setRole(column, e.target.value)}
                >
                  {groups.map((group) => (
                    <optgroup key={group} label={group}>
                      {options
                        .filter((o) => o.group === group)
                        .map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </select>
              </td>
              <td>
                {finding ? (
                  <span
                    className="badge warn"
                    title={`${Math.round(finding.share * 100)} % of sampled values match`}
                  >
                    PII: {finding.kind} → {finding.action.replace('_', ' ')}
                  </span>
                ) : (
                  <span className="muted small">{roleEffect(role)}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
