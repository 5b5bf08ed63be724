/** Masked reports and the audit log (issue 7). */
export { listAudit } from './audit';
export { exportReport } from './export';
