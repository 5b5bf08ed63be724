import crypto from 'node:crypto';
import fs from 'node:fs';
import { FunnelscopeError } from '../../shared/errors';
import type { MaskingPolicy, ReportFile } from '../../shared/reports';
import type { Db } from '../store/workspace';
import { writeAudit } from './audit';
import { importedPii, knownDimensionIdentifiers } from './masking';
import {
  describeFindings,
  scanText,
  workspaceIdentifiers,
  type Finding,
  type KnownIdentifiers,
} from './scan';

/** One file of an export, as it will be written and as it is scanned. */
export interface Output {
  file: string;
  bytes: Buffer;
  /** What is scanned for identifiers: the bytes as text, plus for a PDF its source HTML and inflated streams. */
  text: string;
  /**
   * Where PII patterns are looked for: the text, but for a PDF its source HTML only (PDF syntax, font metrics
   * and the producer's version number are digit runs that look like phone numbers and IPs), and for an e-mail
   * draft its subject and body (the From and To addresses are the analyst's own placeholders).
   */
  content?: string;
}

/** What an export is, for the audit log. */
export interface ExportRecord {
  target: string;
  policy: MaskingPolicy;
  /** The file named in a refusal's audit row. */
  file: string;
}

/** Every finding of the final bytes of all outputs: PII patterns, identifier values and workspace pseudonyms. */
export function scanOutputs(db: Db, outputs: readonly Output[]): Finding[] {
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
  return findings;
}

/**
 * Scans the outputs and, on any finding, records the refusal in the audit log and throws: nothing is written.
 * `what` names the export in the message ("the report", "the digest"); `fix` says what to do.
 */
export function refuseLeaks(
  db: Db,
  outputs: readonly Output[],
  record: ExportRecord,
  what: string,
  fix: string,
): void {
  const findings = scanOutputs(db, outputs);
  if (findings.length === 0) return;
  const reason = describeFindings(findings);
  writeAudit(db, { action: 'export_refused', ...record, sha256: null, reason });
  throw new FunnelscopeError(
    'BAD_ARGUMENT',
    `Export refused: ${what} would contain ${reason}. Nothing was written. ${fix}`,
    { refused: true, findings },
  );
}

/** Writes every file or none: each goes to a temporary name first and is renamed once all are written. */
export function writeAll(outputs: readonly Output[]): void {
  const temps = outputs.map((o) => `${o.file}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    outputs.forEach((o, k) => fs.writeFileSync(temps[k] as string, o.bytes, { mode: 0o600 }));
    outputs.forEach((o, k) => fs.renameSync(temps[k] as string, o.file));
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}

export const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Writes the outputs and records each file with its hash in the audit log. */
export function writeAudited(
  db: Db,
  outputs: readonly Output[],
  record: Omit<ExportRecord, 'file'>,
): ReportFile[] {
  writeAll(outputs);
  const files: ReportFile[] = outputs.map((o) => ({
    file: o.file,
    bytes: o.bytes.length,
    sha256: sha256(o.bytes),
  }));
  const at = Date.now();
  db.transaction(() => {
    for (const f of files)
      writeAudit(db, { action: 'export', ...record, file: f.file, sha256: f.sha256 }, at);
  })();
  return files;
}
