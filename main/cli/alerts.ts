/**
 * `funnelscope alerts …`: the alert inbox, the rules, and the digest export. Workspace commands (they need
 * --workspace and go through the API like the others); usage mistakes throw CliUsageError.
 */
import path from 'node:path';
import type { AlertEntry, AlertRule, AlertRuleInput, DigestRequest } from '../../shared/alerts';
import { formatCohortFilter, parseCohortFilter, SEVERITIES } from '../../shared/alert-rules';
import type { FunnelscopeApi } from '../../shared/api';
import type { Severity } from '../../shared/incidents';
import { CliUsageError } from './standalone';

export const ALERTS_USAGE = [
  'alerts --workspace W [--unread] [--json]',
  'alerts read --workspace W (--id N … | --all) [--json]',
  'alerts rules [list] --workspace W [--json]',
  'alerts rules add --workspace W --name NAME [--min-severity low|medium|high|critical]',
  '                 [--metrics M1,M2] [--cohort DIM=VALUE[&DIM=VALUE]] … [--quiet HH:MM-HH:MM] [--disabled] [--json]',
  'alerts rules delete --workspace W --id N',
  'alerts digest --workspace W --format eml|json --out FILE [--to ADDR] [--sender ADDR]',
  '              [--since T --until T] [--mark-read] [--json]',
];

export interface AlertFlags {
  unread?: boolean;
  all?: boolean;
  id?: string[];
  name?: string;
  'min-severity'?: string;
  metrics?: string;
  cohort?: string[];
  quiet?: string;
  disabled?: boolean;
  format?: string;
  out?: string;
  to?: string;
  sender?: string;
  since?: string;
  until?: string;
  'mark-read'?: boolean;
}

type Print = (data: unknown, text: string) => void;
type Time = (value: string, name: string) => number;

const cohortText = (c: Record<string, string>) =>
  Object.keys(c).length === 0 ? 'all traffic' : formatCohortFilter(c);

export function formatInbox(entries: AlertEntry[]): string {
  if (entries.length === 0) return 'The alert inbox is empty.';
  return entries
    .map((e) => {
      const i = e.incident;
      return (
        `${e.read ? ' ' : '*'} #${e.id}  ${e.createdAt.slice(0, 16).replace('T', ' ')}  ${i.severity.padEnd(8)} ` +
        `${i.metric} ${i.direction} in ${cohortText(i.cohort)}  [rule: ${e.ruleName}]\n    incident ${e.incidentId}`
      );
    })
    .join('\n');
}

export function formatRule(r: AlertRule): string {
  const metrics = r.metrics === 'all' ? 'all metrics' : r.metrics.join(', ');
  const cohorts = r.cohorts === 'any' ? 'any cohort' : r.cohorts.map(formatCohortFilter).join(' or ');
  const quiet = r.quietHours ? `, quiet ${r.quietHours.from}–${r.quietHours.to}` : '';
  return `#${r.id} ${r.name}${r.enabled ? '' : ' (disabled)'}: ${r.minSeverity} or worse, ${metrics}, ${cohorts}${quiet}`;
}

function ids(values: string[] | undefined): number[] {
  return (values ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliUsageError(`--id must be a positive whole number, not "${v}".`);
    return n;
  });
}

function ruleFromFlags(flags: AlertFlags): AlertRuleInput {
  if (!flags.name) throw new CliUsageError('alerts rules add needs --name NAME.');
  const severity = flags['min-severity'] ?? 'high';
  if (!SEVERITIES.includes(severity as Severity))
    throw new CliUsageError(`--min-severity must be low, medium, high or critical, not "${severity}".`);
  let quietHours: AlertRuleInput['quietHours'] = null;
  if (flags.quiet) {
    const match = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(flags.quiet);
    if (!match) throw new CliUsageError(`--quiet is HH:MM-HH:MM (e.g. 22:00-07:00), not "${flags.quiet}".`);
    quietHours = { from: match[1] as string, to: match[2] as string };
  }
  return {
    name: flags.name,
    enabled: !flags.disabled,
    minSeverity: severity as Severity,
    metrics: flags.metrics ? flags.metrics.split(',').map((m) => m.trim()) : 'all',
    cohorts: flags.cohort && flags.cohort.length > 0 ? flags.cohort.map(parseCohortFilter) : 'any',
    quietHours,
  };
}

async function rules(
  sub: string | undefined,
  workspace: string,
  flags: AlertFlags,
  api: FunnelscopeApi,
  print: Print,
) {
  switch (sub ?? 'list') {
    case 'list': {
      const list = await api.alerts.listRules(workspace);
      print(list, list.length === 0 ? 'No alert rule.' : list.map(formatRule).join('\n'));
      return 0;
    }
    case 'add': {
      const rule = await api.alerts.saveRule(workspace, ruleFromFlags(flags));
      print(rule, `Added ${formatRule(rule)}`);
      return 0;
    }
    case 'delete': {
      const [id, ...more] = ids(flags.id);
      if (id === undefined || more.length > 0)
        throw new CliUsageError('alerts rules delete needs one --id N.');
      await api.alerts.deleteRule(workspace, id);
      print({ deleted: id }, `Deleted rule #${id}; its inbox entries stay.`);
      return 0;
    }
    default:
      throw new CliUsageError(`Unknown alerts rules command "${sub}"; use list, add or delete.`);
  }
}

async function digest(workspace: string, flags: AlertFlags, api: FunnelscopeApi, print: Print, time: Time) {
  if (flags.format !== 'eml' && flags.format !== 'json')
    throw new CliUsageError('alerts digest needs --format eml|json.');
  if (!flags.out) throw new CliUsageError('alerts digest needs --out FILE.');
  if (Boolean(flags.since) !== Boolean(flags.until))
    throw new CliUsageError(
      'Give both --since T and --until T for a period (or neither for the unread alerts).',
    );
  const request: DigestRequest = { format: flags.format, out: path.resolve(flags.out) };
  if (flags.since && flags.until)
    request.period = { from: time(flags.since, 'since'), to: time(flags.until, 'until') };
  if (flags.to) request.to = flags.to;
  if (flags.sender) request.from = flags.sender;
  if (flags['mark-read']) request.markRead = true;
  const result = await api.alerts.exportDigest(workspace, request);
  print(
    result,
    `Alert digest of ${result.alerts} alert${result.alerts === 1 ? '' : 's'} (${result.format}): ${result.file}\n` +
      `  ${result.bytes.toLocaleString('en-US')} bytes, sha256 ${result.sha256}\n` +
      `  masked: ${result.suppressedCohorts} cohorts below ${result.policy.minUsers} users, ` +
      `${result.redactedTexts} texts redacted; recorded in the audit log; nothing was sent`,
  );
  return 0;
}

export async function alertsCommand(
  rest: string[],
  workspace: string,
  flags: AlertFlags,
  api: FunnelscopeApi,
  print: Print,
  time: Time,
): Promise<number> {
  const [sub, ...more] = rest;
  switch (sub) {
    case undefined:
    case 'list': {
      const entries = await api.alerts.inbox(workspace, flags.unread ? { unread: true } : {});
      print(entries, formatInbox(entries));
      return 0;
    }
    case 'read': {
      const chosen = flags.all
        ? (await api.alerts.inbox(workspace, { unread: true, limit: 10_000 })).map((e) => e.id)
        : ids(flags.id);
      if (chosen.length === 0 && !flags.all) throw new CliUsageError('alerts read needs --id N … or --all.');
      const changed = await api.alerts.markRead(workspace, chosen, true);
      print({ marked: changed }, `Marked ${changed} alert${changed === 1 ? '' : 's'} read.`);
      return 0;
    }
    case 'rules':
      return rules(more[0], workspace, flags, api, print);
    case 'digest':
      return digest(workspace, flags, api, print, time);
    default:
      throw new CliUsageError(`Unknown alerts command "${sub}"; use rules, digest or read.`);
  }
}
