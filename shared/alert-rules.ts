/**
 * Pure decisions about alert rules, shared by the writer worker (which fills the inbox), the main process
 * (which decides on a desktop notification) and the UI: matching, quiet hours and validation.
 */
import type { AlertRule, AlertRuleInput, QuietHours } from './alerts';
import { FunnelscopeError } from './errors';
import { DIMENSIONS } from './events';
import type { Cohort } from './explore';
import type { Incident, Severity } from './incidents';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** 0 for low … 3 for critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) >= severityRank(minimum);
}

/** Whether `cohort` lies inside `filter`: it has every dimension=value pair of the filter (maybe more). */
export function cohortWithin(cohort: Cohort, filter: Cohort): boolean {
  return Object.entries(filter).every(([dimension, value]) => cohort[dimension] === value);
}

type Matchable = Pick<Incident, 'metric' | 'severity' | 'cohort' | 'attribution'>;

/**
 * Whether an incident matches a rule's severity, metrics and cohorts (not whether the rule is enabled, nor
 * quiet hours: those decide what happens with a match). A cohort filter matches the incident's own cohort
 * or any cohort of its attribution that lies inside it: an incident on os=iOS localised to
 * os=iOS · browser=Safari matches a filter browser=Safari.
 */
export function ruleMatches(
  rule: Pick<AlertRule, 'minSeverity' | 'metrics' | 'cohorts'>,
  incident: Matchable,
) {
  if (!atLeast(incident.severity, rule.minSeverity)) return false;
  if (rule.metrics !== 'all' && !rule.metrics.includes(incident.metric)) return false;
  if (rule.cohorts === 'any') return true;
  const cohorts = [incident.cohort, ...incident.attribution.map((a) => a.cohort)];
  return rule.cohorts.some((filter) => cohorts.some((cohort) => cohortWithin(cohort, filter)));
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM". */
export function clockMinutes(time: string): number {
  const match = CLOCK.exec(time);
  if (!match)
    throw new FunnelscopeError('BAD_ARGUMENT', `A time of day is HH:MM (00:00–23:59), not "${time}".`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes after local midnight of an instant in an IANA time zone. */
export function localMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/** Whether an instant falls in the quiet hours, read in the workspace's time zone; spans midnight when from > to. */
export function isQuietAt(quiet: QuietHours | null, ms: number, timeZone: string): boolean {
  if (!quiet) return false;
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  const now = localMinutes(ms, timeZone);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

function bad(message: string): never {
  throw new FunnelscopeError('BAD_ARGUMENT', message);
}

function checkCohort(cohort: unknown, index: number): Cohort {
  if (!cohort || typeof cohort !== 'object' || Array.isArray(cohort))
    bad(`Cohort filter ${index + 1} must be an object of dimension → value, e.g. {"os": "iOS"}.`);
  const entries = Object.entries(cohort as Record<string, unknown>);
  if (entries.length === 0)
    bad(`Cohort filter ${index + 1} is empty; use cohorts "any" to match every cohort.`);
  for (const [dimension, value] of entries) {
    if (!(DIMENSIONS as readonly string[]).includes(dimension))
      bad(
        `"${dimension}" in cohort filter ${index + 1} is not a dimension; use one of ${DIMENSIONS.join(', ')}.`,
      );
    if (typeof value !== 'string' || value.trim() === '')
      bad(`Give a value for ${dimension} in cohort filter ${index + 1} (e.g. ${dimension}=…).`);
  }
  return Object.fromEntries(entries.map(([d, v]) => [d, (v as string).trim()]));
}

/**
 * Checks a rule from the UI, the CLI or a script and returns it tidied (names trimmed, metrics deduplicated).
 * Every refusal is a BAD_ARGUMENT that says what to write instead.
 */
export function validateRule(input: AlertRuleInput): AlertRuleInput {
  if (!input || typeof input !== 'object')
    bad('A rule is an object with name, minSeverity, metrics and cohorts.');
  if (input.id !== undefined && (!Number.isInteger(input.id) || input.id <= 0))
    bad(`A rule id is a positive whole number, not "${String(input.id)}"; leave it out to add a rule.`);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) bad('Give the rule a name (e.g. "Checkout problems on mobile").');
  if (name.length > 120) bad('A rule name has at most 120 characters.');
  if (!SEVERITIES.includes(input.minSeverity))
    bad(`minSeverity is low, medium, high or critical, not "${String(input.minSeverity)}".`);
  let metrics: AlertRuleInput['metrics'] = 'all';
  if (input.metrics !== 'all') {
    if (!Array.isArray(input.metrics) || input.metrics.length === 0)
      bad('metrics is "all" or a non-empty list of metric names (e.g. ["checkout_conversion"]).');
    if (input.metrics.some((m) => typeof m !== 'string' || m.trim() === ''))
      bad('Every metric of a rule is a metric name such as "conversion_rate".');
    metrics = [...new Set(input.metrics.map((m) => m.trim()))];
  }
  let cohorts: AlertRuleInput['cohorts'] = 'any';
  if (input.cohorts !== 'any') {
    if (!Array.isArray(input.cohorts) || input.cohorts.length === 0)
      bad('cohorts is "any" or a non-empty list of filters such as {"os": "iOS"}.');
    cohorts = input.cohorts.map(checkCohort);
  }
  let quietHours: QuietHours | null = null;
  if (input.quietHours) {
    const { from, to } = input.quietHours;
    clockMinutes(from);
    clockMinutes(to);
    if (from === to) bad('Quiet hours need different start and end times (e.g. 22:00 to 07:00).');
    quietHours = { from, to };
  }
  if (typeof input.enabled !== 'boolean') bad('enabled is true or false.');
  const rule: AlertRuleInput = {
    name,
    enabled: input.enabled,
    minSeverity: input.minSeverity,
    metrics,
    cohorts,
    quietHours,
  };
  if (input.id !== undefined) rule.id = input.id;
  return rule;
}

/** "os=iOS&browser=Safari" → {os: iOS, browser: Safari}, as the CLI and the rules editor write a filter. */
export function parseCohortFilter(text: string): Cohort {
  const cohort: Cohort = {};
  for (const part of text.split('&')) {
    const at = part.indexOf('=');
    if (at <= 0) bad(`A cohort filter is dimension=value[&dimension=value], not "${text}".`);
    cohort[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cohort;
}

export function formatCohortFilter(cohort: Cohort): string {
  return Object.entries(cohort)
    .map(([dimension, value]) => `${dimension}=${value}`)
    .join('&');
}
