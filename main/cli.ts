#!/usr/bin/env node
import { parseArgs } from 'node:util';
import path from 'node:path';
import type { FunnelscopeApi } from '../shared/api';
import { FunnelscopeError, toErrorShape } from '../shared/errors';
import { isImportFailure, type ImportOptions } from '../shared/ingest';
import { EnginePool } from '../workers/pool/pool';
import { keyFilePath, loadOrCreateKey } from '../workers/pool/keys';
import { readMappingFile } from '../workers/pool/mapping';
import { createApi, type SecretProvider } from './api';
import {
  formatDetection,
  formatExplanation,
  formatImportResults,
  formatInfo,
  formatKpis,
} from './cli/format';
import type { FeedbackLabel } from '../shared/explore';
import type { DetectOptions } from '../shared/incidents';
import type { DemoOptions } from '../shared/workspace';
import { REPORT_FORMATS, REPORT_TEMPLATES, type ReportRequest } from '../shared/reports';
import { progressBar } from './cli/progress';
import { ALERTS_USAGE, alertsCommand } from './cli/alerts';
import { METRICS_USAGE, metricsCommand } from './cli/metrics';
import { CliUsageError, STANDALONE_COMMANDS } from './cli/standalone';

const USAGE = `funnelscope — offline investigation of e-commerce behaviour

Usage:
  funnelscope import FILE… --workspace W [--preset NAME | --mapping FILE] [--tz ZONE] [--json]
  funnelscope info --workspace W [--json]
  funnelscope demo --workspace W [--days N] [--seed S] [--sessions-per-day N] [--json]
  funnelscope detect --workspace W [--from T --to T] [--sensitivity low|medium|high] [--json]
  funnelscope label --workspace W --incident ID --as true_alarm|false_alarm|expected [--note TEXT] [--json]
  funnelscope attribute --workspace W --incident ID [--json]
  funnelscope kpis --workspace W [--json]
  funnelscope report --workspace W [--incident ID | --from T --to T] --template executive|operational
                     --format html|pdf|csv|json --out FILE [--json]
  funnelscope audit --workspace W [--json]
{{alerts}}{{standalone}}

The pseudonymisation key of a workspace W is kept in W.key beside it (readable only by you).
Keep it with the workspace: without it, later imports cannot be linked to earlier pseudonyms.`;

function usage(): string {
  const lines = Object.values(STANDALONE_COMMANDS).map((command) => `  funnelscope ${command.usage}`);
  // Continuation lines (indented) carry no command name.
  const alerts = [...ALERTS_USAGE, ...METRICS_USAGE]
    .map((line) => `  ${line.startsWith(' ') ? '            ' : 'funnelscope '}${line}\n`)
    .join('');
  return USAGE.replace('{{alerts}}', alerts).replace(
    '{{standalone}}\n',
    lines.map((line) => `${line}\n`).join(''),
  );
}

const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  preset: { type: 'string' },
  mapping: { type: 'string' },
  tz: { type: 'string' },
  json: { type: 'boolean' },
  days: { type: 'string' },
  seed: { type: 'string' },
  'sessions-per-day': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  sensitivity: { type: 'string' },
  incident: { type: 'string' },
  as: { type: 'string' },
  note: { type: 'string' },
  template: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  // alerts
  unread: { type: 'boolean' },
  all: { type: 'boolean' },
  id: { type: 'string', multiple: true },
  name: { type: 'string' },
  'min-severity': { type: 'string' },
  metrics: { type: 'string' },
  cohort: { type: 'string', multiple: true },
  quiet: { type: 'string' },
  disabled: { type: 'boolean' },
  sender: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'mark-read': { type: 'boolean' },
  // metrics define
  count: { type: 'string' },
  sum: { type: 'string' },
  of: { type: 'string' },
  ratio: { type: 'string' },
  per: { type: 'string' },
  where: { type: 'string' },
  label: { type: 'string' },
  bad: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

const keyFiles: SecretProvider = {
  async secretFor(workspace, { create }) {
    const key = loadOrCreateKey(workspace, { create });
    if (key.created)
      process.stderr.write(
        `Created the pseudonymisation key ${key.path} (mode 600). Keep it with the workspace.\n`,
      );
    return key.secret;
  },
};

/** ISO-8601 (a zone-less time is UTC) or epoch milliseconds. */
function timeArgument(value: string, name: string): number {
  const ms = /^\d+$/.test(value)
    ? Number(value)
    : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || value.length <= 10 ? value : `${value}Z`);
  if (!Number.isFinite(ms))
    throw new UsageError(`--${name} must be an ISO-8601 time or epoch milliseconds, not "${value}".`);
  return ms;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive whole number, not "${value}".`);
  return n;
}

async function run(argv: string[], api: FunnelscopeApi): Promise<number> {
  const standalone = argv[0] ? STANDALONE_COMMANDS[argv[0]] : undefined;
  if (standalone) return standalone.run(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage()}\n`);
    return command || values.help ? 0 : 2;
  }
  const json = Boolean(values.json);
  const workspace = values.workspace ? path.resolve(values.workspace) : undefined;
  if (!workspace) throw new UsageError(`${command} needs --workspace W.`);
  const bar = progressBar(process.stderr, !json && Boolean(process.stderr.isTTY));
  const print = (data: unknown, text: string) =>
    process.stdout.write(`${json ? JSON.stringify(data, null, 2) : text}\n`);

  switch (command) {
    case 'import': {
      if (rest.length === 0) throw new UsageError('import needs at least one FILE.');
      if (values.preset && values.mapping)
        throw new UsageError('Use either --preset or --mapping, not both.');
      const options: ImportOptions = {};
      if (values.preset) options.preset = values.preset;
      if (values.mapping) options.mapping = readMappingFile(values.mapping);
      if (values.tz) options.timeZone = values.tz;
      const results = await api.ingest.importFiles(
        workspace,
        rest.map((f) => path.resolve(f)),
        options,
        {
          onProgress: (p) => bar.update(p),
        },
      );
      bar.done();
      print(
        {
          workspace,
          keyFile: keyFilePath(workspace),
          results,
          resources: { peakRssMb: process.resourceUsage().maxRSS / 1024 },
        },
        formatImportResults(results),
      );
      return results.some(isImportFailure) ? 1 : 0;
    }
    case 'info': {
      const info = await api.workspace.info(workspace, { profile: true });
      print(info, formatInfo(info));
      return 0;
    }
    case 'demo': {
      const options: DemoOptions = {};
      const days = integer(values.days, 'days');
      const sessionsPerDay = integer(values['sessions-per-day'], 'sessions-per-day');
      if (sessionsPerDay !== undefined) options.sessionsPerDay = sessionsPerDay;
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed))
        throw new UsageError(`--seed must be a whole number, not "${values.seed}".`);
      if (days !== undefined) options.days = days;
      if (seed !== undefined) options.seed = seed;
      const summary = await api.workspace.createDemo(workspace, options, {
        onProgress: (p) => bar.update(p),
      });
      bar.done();
      print(
        summary,
        `Demo store of ${summary.days} days (seed ${summary.seed}) in ${summary.workspace}\n` +
          summary.imports
            .map((i) => `  ${i.file}: ${i.rowsImported.toLocaleString('en-US')} rows`)
            .join('\n') +
          `\n  ${summary.incidents} injected incidents; ground truth in ${summary.groundTruthFile}`,
      );
      return 0;
    }
    case 'detect': {
      const options: DetectOptions = {};
      if (values.from) options.from = timeArgument(values.from, 'from');
      if (values.to) options.to = timeArgument(values.to, 'to');
      if (values.sensitivity) {
        if (!['low', 'medium', 'high'].includes(values.sensitivity))
          throw new UsageError(`--sensitivity must be low, medium or high, not "${values.sensitivity}".`);
        options.sensitivity = values.sensitivity as DetectOptions['sensitivity'];
      }
      const run = await api.detection.run(workspace, options, { onProgress: (p) => bar.detection(p) });
      bar.done();
      print({ incidents: run.incidents }, formatDetection(run));
      return 0;
    }
    case 'label': {
      const id = values.incident;
      const label = values.as;
      if (!id || !label)
        throw new UsageError('label needs --incident ID and --as true_alarm|false_alarm|expected.');
      if (!['true_alarm', 'false_alarm', 'expected'].includes(label))
        throw new UsageError(`--as must be true_alarm, false_alarm or expected, not "${label}".`);
      const record = await api.incidents.label(workspace, id, label as FeedbackLabel, values.note);
      print(record, `${record.id}: ${record.status}${record.note ? ` (${record.note})` : ''}`);
      return 0;
    }
    case 'attribute': {
      if (!values.incident) throw new UsageError('attribute needs --incident ID (see the detect listing).');
      const explanation = await api.attribution.explain(workspace, values.incident);
      print(explanation, formatExplanation(explanation));
      return 0;
    }
    case 'report': {
      const { template, format, out } = values;
      if (!template || !REPORT_TEMPLATES.includes(template as ReportRequest['template']))
        throw new UsageError('report needs --template executive|operational.');
      if (!format || !REPORT_FORMATS.includes(format as ReportRequest['format']))
        throw new UsageError('report needs --format html|pdf|csv|json.');
      if (!out) throw new UsageError('report needs --out FILE.');
      if (values.incident && (values.from || values.to))
        throw new UsageError('Use either --incident ID or --from T --to T, not both.');
      const request: ReportRequest = {
        template: template as ReportRequest['template'],
        format: format as ReportRequest['format'],
        out: path.resolve(out),
      };
      if (values.incident) request.incident = values.incident;
      if (values.from) request.from = timeArgument(values.from, 'from');
      if (values.to) request.to = timeArgument(values.to, 'to');
      const result = await api.reports.export(workspace, request);
      print(
        result,
        `${result.template} report of ${result.incidents} incident${result.incidents === 1 ? '' : 's'} (${result.format}):\n` +
          result.files
            .map((f) => `  ${f.file} (${f.bytes.toLocaleString('en-US')} bytes, sha256 ${f.sha256})`)
            .join('\n') +
          `\n  masked: ${result.suppressedCohorts} cohorts below ${result.policy.minUsers} users, ` +
          `${result.redactedTexts} texts redacted; recorded in the audit log`,
      );
      return 0;
    }
    case 'audit': {
      const entries = await api.reports.audit(workspace);
      print(
        entries,
        entries.length === 0
          ? 'No export recorded.'
          : entries
              .map(
                (e) =>
                  `${e.at}  ${e.osUser}  ${e.action}  ${e.target}\n    ${e.file}` +
                  (e.sha256 ? `  sha256 ${e.sha256}` : '') +
                  (e.reason ? `\n    refused: ${e.reason}` : '') +
                  `\n    policy: k=${e.policy.minUsers}, pseudonyms ${e.policy.pseudonyms}, free text ${e.policy.freeText}`,
              )
              .join('\n'),
      );
      return 0;
    }
    case 'alerts':
      return alertsCommand(rest, workspace, values, api, print, timeArgument);
    case 'metrics':
      return metricsCommand(rest, workspace, values, api, print);
    case 'kpis': {
      const kpis = await api.incidents.kpis(workspace);
      print(kpis, formatKpis(kpis));
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function parseWorkspaceFlag(argv: string[]): string | undefined {
  const at = argv.findIndex((a) => a === '--workspace' || a === '-w');
  const inline = argv.find((a) => a.startsWith('--workspace='));
  const value = inline ? inline.slice('--workspace='.length) : at >= 0 ? argv[at + 1] : undefined;
  return value ? path.resolve(value) : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const pool = new EnginePool();
  const api = createApi({ pool, secrets: keyFiles });
  let code: number;
  try {
    code = await run(argv, api);
  } catch (error) {
    const json = argv.includes('--json');
    if (
      error instanceof UsageError ||
      error instanceof CliUsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`funnelscope: ${error.message}\nRun "funnelscope --help" for usage.\n`);
      code = 2;
    } else {
      const shape = toErrorShape(error);
      if (json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
      process.stderr.write(
        `funnelscope: ${shape.message}${error instanceof FunnelscopeError ? '' : ` [${shape.code}]`}\n`,
      );
      code = 1;
    }
  } finally {
    // Close connections first so the WAL is checkpointed into the workspace file.
    const workspace = parseWorkspaceFlag(argv);
    if (workspace) await api.workspace.close(workspace).catch(() => undefined);
    await pool.close();
  }
  return code;
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
