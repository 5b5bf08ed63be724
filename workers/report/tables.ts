import type { ReportModel } from './model';

export type Cell = string | number | boolean | null;
export type Table = Record<string, Cell>[];

/** Six significant digits: enough for any reader, and no long digit runs that look like identifiers. */
function tidy(table: Table): Table {
  for (const row of table)
    for (const [k, v] of Object.entries(row))
      if (typeof v === 'number' && !Number.isInteger(v)) row[k] = Number(v.toPrecision(6));
  return table;
}

/** The report's underlying tables, flat, one row per fact: what CSV and JSON exports carry. */
export function reportTables(model: ReportModel): Record<string, Table> {
  const tables = rawTables(model);
  for (const table of Object.values(tables)) tidy(table);
  return tables;
}

function rawTables(model: ReportModel): Record<string, Table> {
  const incidents: Table = model.incidents.map((i, rank) => ({
    rank: rank + 1,
    incident: i.id,
    metric: i.metric,
    direction: i.direction,
    severity: i.severity,
    score: i.score,
    start: i.start,
    end: i.end,
    detected_at: i.detectedAt,
    cohort: i.cohort,
    status: i.status,
    expected_change: i.expectedChange,
    revenue_at_risk: i.revenueAtRisk,
    lost_conversions: i.lostConversions,
    expected_value: i.expected,
    observed_value: i.observed,
    likely_cause: i.likelyCause,
    incident_kind: i.playbook.kind,
    recommended_action: i.playbook.action,
    recovery: i.recovery,
    note: i.note,
  }));
  if (model.template === 'executive') return { incidents };
  return {
    incidents,
    timeline: model.incidents.flatMap((i) =>
      i.timeline.map((t) => ({ incident: i.id, at: t.at, event: t.event })),
    ),
    attribution: model.incidents.flatMap((i) =>
      i.attribution.map((a) => ({ incident: i.id, cohort: a.cohort, share: a.share, score: a.score })),
    ),
    breakdown: model.incidents.flatMap((i) =>
      (i.breakdown?.rows ?? []).map((r) => ({
        incident: i.id,
        dimension: i.breakdown?.dimension ?? '',
        value: r.value,
        metric: r.metric,
        sessions: r.sessions,
      })),
    ),
    series: model.incidents.flatMap((i) =>
      (i.series ?? []).map((p) => ({
        incident: i.id,
        time: p.time,
        value: p.value,
        expected: p.expected,
        lower: p.lower,
        upper: p.upper,
      })),
    ),
    playbook: model.incidents.flatMap((i) =>
      i.playbook.steps.map((step, k) => ({ incident: i.id, kind: i.playbook.kind, step: k + 1, text: step })),
    ),
  };
}

/**
 * RFC 4180 cells. A cell starting with = + - @ is prefixed with ' so that a spreadsheet does not run it as a
 * formula (CSV injection through a cohort value or a note).
 */
function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: Table, emptyColumns: string[] = ['incident']): string {
  const columns = table[0] ? Object.keys(table[0]) : emptyColumns;
  const lines = [
    columns.join(','),
    ...table.map((row) => columns.map((c) => csvCell(row[c] ?? null)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(model: ReportModel): string {
  const report = {
    title: model.title,
    template: model.template,
    generatedAt: model.generatedAt,
    scope: model.scope,
    policy: model.policy,
    suppressedCohorts: model.suppressedCohorts,
    redactedTexts: model.redactedTexts,
  };
  return `${JSON.stringify({ report, tables: reportTables(model) }, null, 2)}\n`;
}
