/**
 * `funnelscope metrics …`: the workspace's metrics, and the ones the analyst defines (count, sum or ratio of
 * event types, optionally in one cohort). Usage mistakes throw CliUsageError; the definition itself is
 * checked by the engine (shared/custom-metrics.ts), whose message says what to fix.
 */
import type { FunnelscopeApi } from '../../shared/api';
import { parseCohortFilter } from '../../shared/alert-rules';
import type { CustomMetricInput, EventSelector, SummableColumn } from '../../shared/custom-metrics';
import type { MetricDefinition } from '../../shared/metrics';
import { CliUsageError } from './standalone';

export const METRICS_USAGE = [
  'metrics [list] --workspace W [--json]',
  'metrics define --workspace W --name NAME (--count TYPES | --sum COLUMN --of TYPES | --ratio TYPES --per TYPES)',
  '               [--where DIM=VALUE[&DIM=VALUE]] [--label TEXT] [--bad up|down|both] [--json]',
  'metrics remove --workspace W --name NAME',
];

export interface MetricFlags {
  name?: string;
  count?: string;
  sum?: string;
  of?: string;
  ratio?: string;
  per?: string;
  where?: string;
  label?: string;
  bad?: string;
}

type Print = (data: unknown, text: string) => void;

const types = (list: string) =>
  list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

function selector(list: string, where: Record<string, string> | undefined): EventSelector {
  return where ? { eventTypes: types(list), where } : { eventTypes: types(list) };
}

/** The definition the flags describe (exactly one of --count, --sum with --of, --ratio with --per). */
export function definitionFromFlags(flags: MetricFlags): CustomMetricInput {
  if (!flags.name) throw new CliUsageError('metrics define needs --name NAME.');
  const kinds = [flags.count, flags.sum, flags.ratio].filter((k) => k !== undefined).length;
  if (kinds !== 1)
    throw new CliUsageError(
      'Give exactly one of --count TYPES, --sum COLUMN --of TYPES, --ratio TYPES --per TYPES.',
    );
  const where = flags.where ? parseCohortFilter(flags.where) : undefined;
  const common = {
    name: flags.name,
    ...(flags.label ? { label: flags.label } : {}),
    ...(flags.bad ? { badDirection: flags.bad as CustomMetricInput['badDirection'] } : {}),
  };
  if (flags.count !== undefined) return { ...common, kind: 'count', numerator: selector(flags.count, where) };
  if (flags.sum !== undefined) {
    if (!flags.of)
      throw new CliUsageError('--sum COLUMN needs --of TYPES: the events whose COLUMN is added up.');
    return {
      ...common,
      kind: 'sum',
      sumOf: flags.sum as SummableColumn,
      numerator: selector(flags.of, where),
    };
  }
  if (!flags.per) throw new CliUsageError('--ratio TYPES needs --per TYPES: the events it is counted per.');
  return {
    ...common,
    kind: 'ratio',
    numerator: selector(flags.ratio as string, where),
    denominator: selector(flags.per, where),
  };
}

export function formatMetrics(metrics: MetricDefinition[]): string {
  if (metrics.length === 0) return 'This workspace has no metrics yet: import data first.';
  const own = metrics.filter((m) => m.custom);
  const lines = metrics
    .filter((m) => !m.custom)
    .map((m) => `  ${m.name.padEnd(28)} ${m.kind.padEnd(6)} ${m.label}`);
  const ownLines = own.map(
    (m) => `  ${m.name.padEnd(28)} ${m.kind.padEnd(6)} ${m.label}  (bad: ${m.badDirection})`,
  );
  return [
    'Metrics:',
    ...lines,
    own.length > 0 ? 'Your own metrics:' : 'No metrics of your own (metrics define adds one).',
    ...ownLines,
  ].join('\n');
}

export async function metricsCommand(
  rest: string[],
  workspace: string,
  flags: MetricFlags,
  api: FunnelscopeApi,
  print: Print,
): Promise<number> {
  const [sub] = rest;
  switch (sub) {
    case undefined:
    case 'list': {
      const catalog = await api.metrics.catalog(workspace);
      print(catalog, formatMetrics(catalog));
      return 0;
    }
    case 'define': {
      const metric = await api.metrics.define(workspace, definitionFromFlags(flags));
      print(metric, `Defined ${metric.name}: ${metric.label}. Detection watches it from the next run.`);
      return 0;
    }
    case 'remove': {
      if (!flags.name) throw new CliUsageError('metrics remove needs --name NAME.');
      await api.metrics.remove(workspace, flags.name);
      print({ removed: flags.name }, `Removed ${flags.name}.`);
      return 0;
    }
    default:
      throw new CliUsageError(`Unknown metrics command "${String(sub)}"; use list, define or remove.`);
  }
}
