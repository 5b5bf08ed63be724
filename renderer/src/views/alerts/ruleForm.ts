import type { AlertRule, AlertRuleInput } from '../../../../shared/alerts';
import { formatCohortFilter, parseCohortFilter } from '../../../../shared/alert-rules';
import type { Severity } from '../../../../shared/incidents';

/** The rules editor's fields, as typed: metrics picked, cohort filters one per line, quiet hours as two times. */
export interface RuleDraft {
  id?: number;
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  allMetrics: boolean;
  metrics: string[];
  /** One filter per line: dimension=value[&dimension=value]; empty for any cohort. */
  cohorts: string;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
}

export const EMPTY_DRAFT: RuleDraft = {
  name: '',
  enabled: true,
  minSeverity: 'high',
  allMetrics: true,
  metrics: [],
  cohorts: '',
  quiet: false,
  quietFrom: '22:00',
  quietTo: '07:00',
};

export function draftOf(rule: AlertRule): RuleDraft {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    minSeverity: rule.minSeverity,
    allMetrics: rule.metrics === 'all',
    metrics: rule.metrics === 'all' ? [] : rule.metrics,
    cohorts: rule.cohorts === 'any' ? '' : rule.cohorts.map(formatCohortFilter).join('\n'),
    quiet: rule.quietHours !== null,
    quietFrom: rule.quietHours?.from ?? EMPTY_DRAFT.quietFrom,
    quietTo: rule.quietHours?.to ?? EMPTY_DRAFT.quietTo,
  };
}

/** The rule to save; a cohort line that is not dimension=value throws a BAD_ARGUMENT saying so. */
export function ruleOf(draft: RuleDraft): AlertRuleInput {
  const lines = draft.cohorts
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const rule: AlertRuleInput = {
    name: draft.name,
    enabled: draft.enabled,
    minSeverity: draft.minSeverity,
    metrics: draft.allMetrics ? 'all' : draft.metrics,
    cohorts: lines.length === 0 ? 'any' : lines.map(parseCohortFilter),
    quietHours: draft.quiet ? { from: draft.quietFrom, to: draft.quietTo } : null,
  };
  if (draft.id !== undefined) rule.id = draft.id;
  return rule;
}

/** "high or worse", but "critical only" (nothing is worse). */
export function severityPhrase(minimum: Severity): string {
  return minimum === 'critical' ? 'critical only' : `${minimum} or worse`;
}

/** One line about a rule: "high or worse · all metrics · any cohort · quiet 22:00–07:00". */
export function ruleSummary(rule: AlertRule, metricLabel: (name: string) => string): string {
  const metrics = rule.metrics === 'all' ? 'all metrics' : rule.metrics.map(metricLabel).join(', ');
  const cohorts =
    rule.cohorts === 'any'
      ? 'any cohort'
      : rule.cohorts.map((c) => formatCohortFilter(c).replace(/&/g, ' & ')).join(' or ');
  const quiet = rule.quietHours ? ` · quiet ${rule.quietHours.from}–${rule.quietHours.to}` : '';
  return `${severityPhrase(rule.minSeverity)} · ${metrics} · ${cohorts}${quiet}`;
}

/** A digest's default file: beside the workspace, named after it (the renderer has no path module). */
export function defaultDigestPath(workspace: string, format: 'eml' | 'json'): string {
  const cut = Math.max(workspace.lastIndexOf('/'), workspace.lastIndexOf('\\'));
  const dir = cut >= 0 ? workspace.slice(0, cut + 1) : '';
  const name = (cut >= 0 ? workspace.slice(cut + 1) : workspace).replace(/\.fscope$/i, '');
  return `${dir}${name}-alert-digest.${format}`;
}
