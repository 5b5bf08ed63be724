import { useId } from 'react';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  /** One path per line. */
  multiple?: boolean;
  /** A native dialog, when the shell has one; typing a path always works. */
  browse?: (() => Promise<string[] | string | null>) | null;
  hint?: string;
}

/** A typed path (relative paths are taken in the workspace folder), with a Browse button where possible. */
export function PathField({ label, value, onChange, placeholder, multiple = false, browse, hint }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="path-field">
        {multiple ? (
          <textarea
            id={id}
            rows={3}
            value={value}
            placeholder={placeholder}
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={value}
            placeholder={placeholder}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => onChange(e.target.value)}
          />
        )}
        {browse && (
          <button
            type="button"
            onClick={async () => {
              const chosen = await browse();
              if (chosen === null) return;
              onChange(Array.isArray(chosen) ? chosen.join('\n') : chosen);
            }}
          >
            Browse…
          </button>
        )}
      </div>
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

/** The non-empty lines of a multi-path field. */
export function splitPaths(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
