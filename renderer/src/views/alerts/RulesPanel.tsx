import { useState } from 'react';
import type { AlertRule } from '../../../../shared/alerts';
import type { ErrorShape } from '../../../../shared/errors';
import { DIMENSIONS } from '../../../../shared/events';
import { api, errorShape } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useAsync } from '../../state/useAsync';
import { useCatalog } from '../../state/useCatalog';
import { useWorkspace } from '../../state/workspace';
import { RuleEditor } from './RuleEditor';
import { RuleList } from './RuleList';
import { draftOf, EMPTY_DRAFT, ruleOf, type RuleDraft } from './ruleForm';

/** The rules: list, add, edit, delete. */
export function RulesPanel() {
  const { info } = useWorkspace();
  const [version, setVersion] = useState(0);
  const rules = useAsync(() => api().alerts.listRules(info.path), [info.path, version]);
  const catalog = useCatalog();
  const [editing, setEditing] = useState<RuleDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ErrorShape | null>(null);

  async function change(action: () => Promise<unknown>) {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setEditing(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(errorShape(error));
    } finally {
      setBusy(false);
    }
  }

  const remove = (rule: AlertRule) => change(() => api().alerts.deleteRule(info.path, rule.id));
  // A cohort line that is not dimension=value throws before the call: shown like the engine's refusals.
  const save = (draft: RuleDraft) => change(() => api().alerts.saveRule(info.path, ruleOf(draft)));

  return (
    <section aria-labelledby="rules-title">
      <div className="toolbar">
        <h2 id="rules-title">Rules</h2>
        <button type="button" disabled={editing !== null} onClick={() => setEditing(EMPTY_DRAFT)}>
          Add a rule
        </button>
      </div>
      <p className="muted small">
        After each detection run, every new incident (not seen by an earlier run, not an expected change, not
        a suppressed false alarm) that matches an enabled rule is filed in the inbox and may raise a desktop
        notification (unless notifications are off in Settings or the rule is in its quiet hours).
      </p>
      {problem && <ErrorMessage title="The rule was not saved" error={problem} />}
      {editing && (
        <RuleEditor
          key={editing.id ?? 'new'}
          initial={editing}
          metrics={catalog.state.status === 'ok' ? catalog.state.data : []}
          dimensions={DIMENSIONS}
          busy={busy}
          onSave={(draft) => void save(draft)}
          onCancel={() => {
            setEditing(null);
            setProblem(null);
          }}
        />
      )}
      {rules.state.status === 'error' && (
        <ErrorMessage title="The rules are unavailable" error={rules.state.error} onRetry={rules.reload} />
      )}
      {rules.state.status === 'loading' && <Loading />}
      {rules.state.status === 'ok' && (
        <RuleList
          rules={rules.state.data}
          busy={busy}
          onEdit={(rule) => setEditing(draftOf(rule))}
          onDelete={(rule) => void remove(rule)}
        />
      )}
    </section>
  );
}
