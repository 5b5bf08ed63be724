import os from 'node:os';
import type { AuditEntry, MaskingPolicy } from '../../shared/reports';
import type { Db } from '../store/workspace';

export interface AuditRecord {
  action: AuditEntry['action'];
  target: string;
  policy: MaskingPolicy;
  file: string;
  sha256: string | null;
  reason?: string;
}

/** The OS account running the export; a container without a passwd entry still gets a name. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function writeAudit(db: Db, record: AuditRecord, at = Date.now()): void {
  db.prepare(
    'INSERT INTO audit_log (at, os_user, action, target, policy, file, sha256, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    at,
    osUser(),
    record.action,
    record.target,
    JSON.stringify(record.policy),
    record.file,
    record.sha256,
    record.reason ?? null,
  );
}

interface AuditRow {
  id: number;
  at: number;
  os_user: string;
  action: AuditEntry['action'];
  target: string;
  policy: string;
  file: string;
  sha256: string | null;
  reason: string | null;
}

/** The audit log, oldest first. */
export function listAudit(db: Db): AuditEntry[] {
  const rows = db
    .prepare(
      'SELECT id, at, os_user, action, target, policy, file, sha256, reason FROM audit_log ORDER BY id',
    )
    .all() as AuditRow[];
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    osUser: r.os_user,
    action: r.action,
    target: r.target,
    policy: JSON.parse(r.policy) as MaskingPolicy,
    file: r.file,
    sha256: r.sha256,
    reason: r.reason,
  }));
}
