/**
 * The pure parts of printing a report to PDF in the app (main/electron-pdf.ts does the Electron calls): which
 * printer a report uses, the print options, and what the hidden print window may load. Electron-free, so
 * main/api.ts and the unit tests use it.
 */
import type { ReportRequest } from '../shared/reports';
import type { PdfPrinter } from '../workers/pool/protocol';

/**
 * The printer for a report: the one the shell injected (Electron's printToPDF in the app) for a PDF, else
 * none, and the writer worker falls back to a local Chromium (the CLI and the e2e host inject none).
 */
export function printerFor(
  request: Pick<ReportRequest, 'format'> | undefined,
  injected: PdfPrinter | undefined,
) {
  return request?.format === 'pdf' ? injected : undefined;
}

/** Who prints a PDF report, in words (for logs and the README). */
export function pdfEngine(injected: PdfPrinter | undefined): 'electron printToPDF' | 'local Chromium' {
  return injected ? 'electron printToPDF' : 'local Chromium';
}

/**
 * webContents.printToPDF options: A4 with the report's own CSS for page size, backgrounds (severity colours)
 * printed, and no header or footer (they would print the temporary file's path and a date).
 */
export const PRINT_OPTIONS = {
  pageSize: 'A4',
  landscape: false,
  printBackground: true,
  displayHeaderFooter: false,
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  margins: { top: 0.5, bottom: 0.5, left: 0.5, right: 0.5 },
} as const;

/** The print window's own session: in memory only (no "persist:" prefix), apart from the app's. */
export const PDF_PARTITION = 'funnelscope-pdf';

export type PdfRequestDecision = { action: 'allow' } | { action: 'cancel'; reason: string };

/**
 * Every request of the print window: the report's own temporary file (the page being printed) and data:
 * URLs made inside it load; anything else, another file included, is cancelled. The report is
 * self-contained, so a cancelled request is a bug, never a missing resource.
 */
export function decidePdfRequest(url: string, allowedPages: ReadonlySet<string>): PdfRequestDecision {
  if (allowedPages.has(url)) return { action: 'allow' };
  if (url.startsWith('data:')) return { action: 'allow' };
  return { action: 'cancel', reason: 'the report may load nothing but itself' };
}
