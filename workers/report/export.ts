import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';
import {
  REPORT_FORMATS,
  REPORT_TEMPLATES,
  type ReportFile,
  type ReportRequest,
  type ReportResult,
} from '../../shared/reports';
import type { Db } from '../store/workspace';
import { writeAudit } from './audit';
import { renderHtml } from './html';
import { importedPii, knownDimensionIdentifiers } from './masking';
import { ReportBuilder, scopeOf, type ReportModel } from './model';
import { htmlToPdf } from './pdf';
import {
  describeFindings,
  pdfText,
  scanText,
  workspaceIdentifiers,
  type Finding,
  type KnownIdentifiers,
} from './scan';
import { reportTables, toCsv, toJson } from './tables';

interface Output {
  file: string;
  bytes: Buffer;
  /** What is scanned: the bytes as text, plus for a PDF its source HTML and inflated streams. */
  text: string;
  /**
   * Where PII patterns are looked for: the text, but for a PDF its source HTML only (PDF syntax, font
   * metrics and the producer's version number are digit runs that look like phone numbers and IPs).
   */
  content?: string;
}

export function checkRequest(request: ReportRequest): void {
  if (!REPORT_TEMPLATES.includes(request.template))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `A report template is executive or operational, not "${request.template}".`,
    );
  if (!REPORT_FORMATS.includes(request.format))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `A report format is html, pdf, csv or json, not "${request.format}".`,
    );
  if (!request.out || !path.isAbsolute(request.out))
    throw new FunnelscopeError('BAD_ARGUMENT', 'A report needs an absolute output path (out).');
  if (!fs.existsSync(path.dirname(request.out)))
    throw new FunnelscopeError('FILE_NOT_FOUND', `The folder ${path.dirname(request.out)} does not exist.`);
  if (request.incident && (request.from !== undefined || request.to !== undefined))
    throw new FunnelscopeError('BAD_ARGUMENT', 'A report is of one incident or of a period, not both.');
}

/** CSV: the first table in FILE, each other table beside it as FILE's name + `.<table>.csv`. */
function csvOutputs(model: ReportModel, out: string): Output[] {
  const tables = Object.entries(reportTables(model));
  const base = out.replace(/\.csv$/i, '');
  return tables.map(([name, table], k) => {
    const text = toCsv(table);
    return { file: k === 0 ? out : `${base}.${name}.csv`, bytes: Buffer.from(text, 'utf8'), text };
  });
}

async function render(model: ReportModel, request: ReportRequest): Promise<Output[]> {
  switch (request.format) {
    case 'html': {
      const html = renderHtml(model);
      return [{ file: request.out, bytes: Buffer.from(html, 'utf8'), text: html }];
    }
    case 'pdf': {
      const html = renderHtml(model);
      const pdf = await htmlToPdf(html);
      return [{ file: request.out, bytes: pdf, text: `${html}\n${pdfText(pdf)}`, content: html }];
    }
    case 'json': {
      const json = toJson(model);
      return [{ file: request.out, bytes: Buffer.from(json, 'utf8'), text: json }];
    }
    case 'csv':
      return csvOutputs(model, request.out);
  }
}

/** Writes every file or none: each goes to a temporary name first and is renamed once all are written. */
function writeAll(outputs: Output[]): void {
  const temps = outputs.map((o) => `${o.file}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    outputs.forEach((o, k) => fs.writeFileSync(temps[k] as string, o.bytes, { mode: 0o600 }));
    outputs.forEach((o, k) => fs.renameSync(temps[k] as string, o.file));
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/**
 * Builds a masked report, scans its final bytes for personal data and workspace identifiers, and writes
 * it only when the scan is clean. Every export, written or refused, is recorded in the audit log.
 */
export async function exportReport(db: Db, request: ReportRequest): Promise<ReportResult> {
  checkRequest(request);
  const builder = new ReportBuilder(db);
  const model = builder.build(request);
  const target = `${request.template} ${request.format}: ${scopeOf(request)}`;
  const outputs = await render(model, request);
  const known = workspaceIdentifiers(db, knownDimensionIdentifiers(db, importedPii(db)));
  // The number runs of all files are checked against the workspace's keys in one pass over the events.
  const candidates = new Set<string>();
  const collect: KnownIdentifiers = {
    values: known.values,
    pseudonymsAmong(digits) {
      for (const d of digits) candidates.add(d);
      return 0;
    },
  };
  const findings: Finding[] = [];
  const add = (f: Finding) => {
    const same = findings.find((g) => g.kind === f.kind);
    if (same) same.count += f.count;
    else findings.push({ ...f });
  };
  for (const output of outputs) scanText(output.text, collect, output.content).forEach(add);
  const pseudonyms = known.pseudonymsAmong(candidates);
  if (pseudonyms > 0) add({ kind: 'pseudonym', count: pseudonyms });
  if (findings.length > 0) {
    const reason = describeFindings(findings);
    writeAudit(db, {
      action: 'export_refused',
      target,
      policy: model.policy,
      file: request.out,
      sha256: null,
      reason,
    });
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Export refused: the report would contain ${reason}. Nothing was written. ` +
        'Edit the incident note or annotation that carries it, or mask the dimension, and export again.',
      { refused: true, findings },
    );
  }
  writeAll(outputs);
  const files: ReportFile[] = outputs.map((o) => ({
    file: o.file,
    bytes: o.bytes.length,
    sha256: sha256(o.bytes),
  }));
  const at = Date.now();
  db.transaction(() => {
    for (const f of files)
      writeAudit(db, { action: 'export', target, policy: model.policy, file: f.file, sha256: f.sha256 }, at);
  })();
  return {
    template: request.template,
    format: request.format,
    files,
    incidents: model.incidents.length,
    suppressedCohorts: model.suppressedCohorts,
    redactedTexts: model.redactedTexts,
    policy: model.policy,
  };
}
