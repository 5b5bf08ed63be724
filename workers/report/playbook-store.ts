import {
  PLAYBOOK_KINDS,
  PLAYBOOK_LIMITS,
  type EffectivePlaybook,
  type PlaybookKind,
} from '../../shared/alerts';
import { FunnelscopeError } from '../../shared/errors';
import type { Db } from '../store/workspace';
import { playbookFor } from './playbooks';

interface OverrideRow {
  steps: string;
  updated_at: number;
}

export function checkKind(kind: string): PlaybookKind {
  if (!(PLAYBOOK_KINDS as readonly string[]).includes(kind))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `"${kind}" is not an incident kind; use one of ${PLAYBOOK_KINDS.join(', ')}.`,
    );
  return kind as PlaybookKind;
}

/** Trims the steps and drops empty lines; refuses an empty or oversized playbook with what to do instead. */
export function checkSteps(steps: unknown): string[] {
  if (!Array.isArray(steps) || steps.some((s) => typeof s !== 'string'))
    throw new FunnelscopeError('BAD_ARGUMENT', 'Playbook steps are a list of lines of text.');
  const kept = (steps as string[]).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (kept.length === 0)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      'A playbook needs at least one step; to go back to the built-in steps, reset it instead.',
    );
  if (kept.length > PLAYBOOK_LIMITS.steps)
    throw new FunnelscopeError('BAD_ARGUMENT', `A playbook has at most ${PLAYBOOK_LIMITS.steps} steps.`);
  const long = kept.findIndex((s) => s.length > PLAYBOOK_LIMITS.stepLength);
  if (long >= 0)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Step ${long + 1} is longer than ${PLAYBOOK_LIMITS.stepLength} characters; split it into shorter steps.`,
    );
  return kept;
}

/** The playbook reports and the incident detail use: the workspace's steps for the kind, else the built-in ones. */
export function effectivePlaybook(db: Db, kind: PlaybookKind): EffectivePlaybook {
  const builtIn = playbookFor(kind);
  const row = db.prepare('SELECT steps, updated_at FROM playbook_overrides WHERE kind = ?').get(kind) as
    OverrideRow | undefined;
  return {
    kind,
    title: builtIn.title,
    action: builtIn.action,
    steps: row ? (JSON.parse(row.steps) as string[]) : builtIn.steps,
    builtInSteps: builtIn.steps,
    edited: Boolean(row),
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

export function listPlaybooks(db: Db): EffectivePlaybook[] {
  return PLAYBOOK_KINDS.map((kind) => effectivePlaybook(db, kind));
}

export function updatePlaybook(db: Db, kind: string, steps: unknown, now = Date.now()): EffectivePlaybook {
  const checked = checkKind(kind);
  const kept = checkSteps(steps);
  db.prepare(
    'INSERT INTO playbook_overrides (kind, steps, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (kind) DO UPDATE SET steps = excluded.steps, updated_at = excluded.updated_at',
  ).run(checked, JSON.stringify(kept), now);
  return effectivePlaybook(db, checked);
}

export function resetPlaybook(db: Db, kind: string): EffectivePlaybook {
  const checked = checkKind(kind);
  db.prepare('DELETE FROM playbook_overrides WHERE kind = ?').run(checked);
  return effectivePlaybook(db, checked);
}
