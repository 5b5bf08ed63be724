import { useEffect, useState } from 'react';
import type { EffectivePlaybook, PlaybookKind } from '../../../../shared/alerts';
import { DateTime } from '../../components/DateTime';

interface Props {
  playbooks: EffectivePlaybook[];
  initialKind?: PlaybookKind;
  busy: boolean;
  onSave(kind: PlaybookKind, steps: string[]): void;
  onReset(kind: PlaybookKind): void;
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** One incident kind's checklist as editable lines; saved for this workspace, or reset to the built-in steps. */
export function PlaybookEditor({ playbooks, initialKind, busy, onSave, onReset }: Props) {
  const [kind, setKind] = useState<PlaybookKind>(initialKind ?? playbooks[0]?.kind ?? 'other');
  const playbook = playbooks.find((p) => p.kind === kind);
  const [text, setText] = useState(playbook?.steps.join('\n') ?? '');
  // Another kind chosen, or the stored steps changed (saved or reset): show them.
  useEffect(() => setText(playbook?.steps.join('\n') ?? ''), [kind, playbook?.updatedAt, playbook?.edited]);
  if (!playbook) return null;
  const changed = linesOf(text).join('\n') !== playbook.steps.join('\n');

  return (
    <section className="panel" aria-labelledby="playbook-title">
      <h2 id="playbook-title">Playbooks</h2>
      <p className="muted small">
        The checks and remediation steps shown with an incident of each kind, in its detail, in reports and in
        digests. Edits apply to this workspace only.
      </p>
      <div className="form-row">
        <label className="field">
          <span className="label">Incident kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as PlaybookKind)}>
            {playbooks.map((p) => (
              <option key={p.kind} value={p.kind}>
                {p.title}
                {p.edited ? ' (edited)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p>
        <strong>{playbook.title}</strong> · {playbook.action}{' '}
        {playbook.edited && playbook.updatedAt ? (
          <span className="badge">
            edited <DateTime ms={Date.parse(playbook.updatedAt)} />
          </span>
        ) : (
          <span className="badge">built-in</span>
        )}
      </p>
      <div className="field">
        <label htmlFor="playbook-steps">Steps, one per line</label>
        <textarea
          id="playbook-steps"
          rows={Math.max(5, playbook.steps.length + 2)}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !changed || linesOf(text).length === 0}
          onClick={() => onSave(kind, linesOf(text))}
        >
          Save steps
        </button>
        <button type="button" disabled={busy || !playbook.edited} onClick={() => onReset(kind)}>
          Reset to built-in
        </button>
      </div>
      {playbook.edited && (
        <details>
          <summary className="muted small">Built-in steps</summary>
          <ol>
            {playbook.builtInSteps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
