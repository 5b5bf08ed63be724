import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';
import {
  REPORT_FORMATS,
  REPORT_TEMPLATES,
  type ReportRequest,
  type ReportResult,
} from '../../shared/reports';
import type { PdfPrinter } from '../pool/protocol';
import type { Db } from '../store/workspace';
import { refuseLeaks, writeAudited, type Output } from './guard';
import { renderHtml } from './html';
import { ReportBuilder, scopeOf, type ReportModel } from './model';
import { htmlToPdf } from './pdf';
import { pdfText } from './scan';
import { reportTables, toCsv, toJson } from './tables';

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

async function render(model: ReportModel, request: ReportRequest, printPdf: PdfPrinter): Promise<Output[]> {
  switch (request.format) {
    case 'html': {
      const html = renderHtml(model);
      return [{ file: request.out, bytes: Buffer.from(html, 'utf8'), text: html }];
    }
    case 'pdf': {
      const html = renderHtml(model);
      const pdf = Buffer.from(await printPdf(html));
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

/**
 * Builds a masked report, scans its final bytes for personal data and workspace identifiers, and writes
 * it only when the scan is clean. Every export, written or refused, is recorded in the audit log.
 */
export async function exportReport(
  db: Db,
  request: ReportRequest,
  // In the app, Electron's printToPDF in a hidden offline window (from the main process); else a local Chromium.
  printPdf: PdfPrinter = htmlToPdf,
): Promise<ReportResult> {
  checkRequest(request);
  const builder = new ReportBuilder(db);
  const model = builder.build(request);
  const target = `${request.template} ${request.format}: ${scopeOf(request)}`;
  const outputs = await render(model, request, printPdf);
  refuseLeaks(
    db,
    outputs,
    { target, policy: model.policy, file: request.out },
    'the report',
    'Edit the incident note or annotation that carries it, or mask the dimension, and export again.',
  );
  const files = writeAudited(db, outputs, { target, policy: model.policy });
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
