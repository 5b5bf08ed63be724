import type { AlertEntry } from '../shared/alerts';
import { validateRule } from '../shared/alert-rules';
import type { FunnelscopeApi } from '../shared/api';
import { FunnelscopeError } from '../shared/errors';
import { CancelToken } from '../workers/pool/cancel';
import { EnginePool } from '../workers/pool/pool';
import type { PdfPrinter, WorkspaceKey } from '../workers/pool/protocol';
import {
  checkAlertIds,
  checkDigestShape,
  checkInboxQuery,
  checkPlaybookKind,
  checkRuleId,
  checkSteps,
} from './alert-arguments';
import { printerFor } from './pdf-print';

/** Where the pseudonymisation secret of a workspace comes from: a key file (CLI) or safeStorage (app). */
export interface SecretProvider {
  secretFor(workspace: string, options: { create: boolean }): Promise<Uint8Array>;
}

export interface ApiContext {
  pool: EnginePool;
  secrets: SecretProvider;
  /**
   * Prints PDF reports in this process: the app injects Electron's printToPDF (main/electron-pdf.ts). Without
   * it (CLI, e2e host) the writer worker uses a local Chromium.
   */
  printPdf?: PdfPrinter;
  /** Told of the inbox entries each detection run made (the app decides on a desktop notification). */
  onAlerts?: (workspace: string, alerts: AlertEntry[]) => void;
}

/**
 * The whole contract implemented by routing to the worker pool. No Electron here: the CLI, the app's IPC
 * binding and the e2e host all use this one implementation.
 */
export function createApi({ pool, secrets, printPdf, onAlerts }: ApiContext): FunnelscopeApi {
  const running = new Map<string, () => void>();
  let nextJob = 1;

  async function key(path: string, create: boolean): Promise<WorkspaceKey> {
    return { path, secret: await secrets.secretFor(path, { create }) };
  }

  async function track<T>(
    jobId: string | undefined,
    job: { result: Promise<T>; cancel(): void },
  ): Promise<T> {
    const id = jobId ?? `job-${nextJob++}`;
    running.set(id, () => job.cancel());
    try {
      return await job.result;
    } finally {
      running.delete(id);
    }
  }

  /**
   * Reads of tables a newer migration added (alerts, playbooks) need the workspace migrated, which only the
   * writer does when it opens it; a workspace last opened by an older version would otherwise lack them.
   */
  const migrated = new Set<string>();
  async function ensureMigrated(path: string): Promise<void> {
    if (migrated.has(path)) return;
    const workspace = await key(path, false);
    await pool.write((api) => api.open(workspace, { create: false }));
    migrated.add(path);
  }

  return {
    workspace: {
      async open(path, options = {}) {
        const workspace = await key(path, Boolean(options.create));
        const open: { create: boolean; timeZone?: string } = { create: Boolean(options.create) };
        if (options.timeZone) open.timeZone = options.timeZone;
        await pool.write((api) => api.open(workspace, open));
        return pool.read((api) => api.info(path));
      },
      async info(path, options = {}) {
        return pool.read((api) => api.info(path, options));
      },
      async createDemo(path, options = {}, job = {}) {
        const workspace = await key(path, true);
        const onProgress = job.onProgress ? EnginePool.callback(job.onProgress) : undefined;
        return track(
          job.jobId,
          pool.writeJob((api, cancel) => api.demo(workspace, options, cancel, onProgress)),
        );
      },
      async close(path) {
        migrated.delete(path);
        await pool.closeWorkspace(path);
      },
    },
    ingest: {
      async preview(file, options = {}) {
        return pool.read((api) => api.preview(file, options));
      },
      async importFiles(path, files, options = {}, job = {}) {
        if (files.length === 0) throw new FunnelscopeError('BAD_ARGUMENT', 'No file to import was given.');
        const workspace = await key(path, true);
        const onProgress = job.onProgress ? EnginePool.callback(job.onProgress) : undefined;
        return track(
          job.jobId,
          pool.writeJob((api, cancel) => api.importFiles(workspace, files, options, cancel, onProgress)),
        );
      },
      async rejectedRows(path, sourceId, limit = 1000, offset = 0) {
        return pool.read((api) => api.rejectedRows(path, sourceId, limit, offset));
      },
    },
    detection: {
      async run(path, options = {}, job = {}) {
        const workspace = await key(path, false);
        const progress = job.onProgress;
        const token = new CancelToken();
        const stopIfCancelled = () => {
          if (token.cancelled)
            throw new FunnelscopeError(
              'CANCELLED',
              'Detection cancelled; the incidents of the previous run are kept.',
            );
        };
        // Three steps (cube, detectors, save); cancel is honoured between them and inside the detectors.
        const result = (async () => {
          progress?.({ stage: 'cube', done: 0, total: 1, detail: '' });
          await pool.write((api) => api.buildCube(workspace));
          stopIfCancelled();
          // The workspace's sensitivities (Settings) unless the caller names them.
          const settings = await pool.read((api) => api.settings(path));
          const sensitivity = options.sensitivity ?? settings.sensitivity;
          const metricSensitivity = options.metricSensitivity ?? settings.metricSensitivity;
          const onProgress = progress ? EnginePool.callback(progress) : undefined;
          const run = await pool.read((api) =>
            api.detect(path, { ...options, sensitivity, metricSensitivity }, token.buffer, onProgress),
          );
          stopIfCancelled();
          progress?.({ stage: 'saving', done: 0, total: 1, detail: '' });
          const saved = await pool.write((api) => api.saveDetectionRun(workspace, run));
          if (saved.alerts.length > 0) onAlerts?.(path, saved.alerts);
          return saved.run;
        })();
        return track(job.jobId, { result, cancel: () => token.cancel() });
      },
    },
    incidents: {
      async list(path, filter = {}) {
        return pool.read((api) => api.listIncidents(path, filter));
      },
      async get(path, id) {
        return pool.read((api) => api.getIncident(path, id));
      },
      async label(path, id, label, note) {
        if (!['true_alarm', 'false_alarm', 'expected'].includes(label))
          throw new FunnelscopeError(
            'BAD_ARGUMENT',
            `A label is true_alarm, false_alarm or expected, not "${label}".`,
          );
        const workspace = await key(path, false);
        return pool.write((api) => api.labelIncident(workspace, id, label, note));
      },
      async kpis(path) {
        return pool.read((api) => api.detectionKpis(path));
      },
    },
    attribution: {
      async explain(path, id) {
        return pool.read((api) => api.explainIncident(path, id));
      },
    },
    metrics: {
      async catalog(path) {
        return pool.read((api) => api.metricCatalog(path));
      },
      async series(path, query) {
        return pool.read((api) => api.metricSeries(path, query));
      },
      async define(path, metric) {
        const workspace = await key(path, false);
        return pool.write((api) => api.defineMetric(workspace, metric));
      },
      async remove(path, name) {
        if (typeof name !== 'string' || name === '')
          throw new FunnelscopeError('BAD_ARGUMENT', 'Say which metric to remove by its name.');
        const workspace = await key(path, false);
        return pool.write((api) => api.removeMetric(workspace, name));
      },
    },
    cohorts: {
      async dimensions(path) {
        return pool.read((api) => api.cohortDimensions(path));
      },
      async breakdown(path, query) {
        return pool.read((api) => api.breakdown(path, query));
      },
      async funnel(path, query) {
        return pool.read((api) => api.funnel(path, query));
      },
    },
    annotations: {
      async list(path, window = {}) {
        return pool.read((api) => api.annotations(path, window));
      },
    },
    settings: {
      async get(path) {
        return pool.read((api) => api.settings(path));
      },
      async update(path, patch) {
        const workspace = await key(path, false);
        return pool.write((api) => api.updateSettings(workspace, patch));
      },
    },
    reports: {
      async export(path, request) {
        const workspace = await key(path, false);
        // The printer crosses to the worker as a comlink proxy: the worker calls back with the HTML.
        const chosen = printerFor(request, printPdf);
        const printer = chosen ? (EnginePool.callback(chosen) as PdfPrinter) : undefined;
        return pool.write((api) => api.exportReport(workspace, request, printer));
      },
      async audit(path) {
        return pool.read((api) => api.auditLog(path));
      },
    },
    alerts: {
      async listRules(path) {
        await ensureMigrated(path);
        return pool.read((api) => api.alertRules(path));
      },
      async saveRule(path, rule) {
        const checked = validateRule(rule);
        const workspace = await key(path, false);
        return pool.write((api) => api.saveAlertRule(workspace, checked));
      },
      async deleteRule(path, id) {
        const checked = checkRuleId(id);
        const workspace = await key(path, false);
        return pool.write((api) => api.deleteAlertRule(workspace, checked));
      },
      async inbox(path, query = {}) {
        const checked = checkInboxQuery(query);
        await ensureMigrated(path);
        return pool.read((api) => api.alertInbox(path, checked));
      },
      async markRead(path, ids, read = true) {
        const checked = checkAlertIds(ids);
        if (typeof read !== 'boolean') throw new FunnelscopeError('BAD_ARGUMENT', 'read is true or false.');
        const workspace = await key(path, false);
        return pool.write((api) => api.markAlertsRead(workspace, checked, read));
      },
      async exportDigest(path, request) {
        const checked = checkDigestShape(request);
        const workspace = await key(path, false);
        return pool.write((api) => api.exportDigest(workspace, checked));
      },
    },
    playbooks: {
      async list(path) {
        await ensureMigrated(path);
        return pool.read((api) => api.playbooks(path));
      },
      async forIncident(path, incidentId) {
        if (typeof incidentId !== 'string' || incidentId === '')
          throw new FunnelscopeError(
            'BAD_ARGUMENT',
            'Give the id of a stored incident (see incidents.list).',
          );
        await ensureMigrated(path);
        return pool.read((api) => api.incidentPlaybook(path, incidentId));
      },
      async update(path, kind, steps) {
        const checkedKind = checkPlaybookKind(kind);
        const checkedSteps = checkSteps(steps);
        const workspace = await key(path, false);
        return pool.write((api) => api.updatePlaybook(workspace, checkedKind, checkedSteps));
      },
      async reset(path, kind) {
        const checked = checkPlaybookKind(kind);
        const workspace = await key(path, false);
        return pool.write((api) => api.resetPlaybook(workspace, checked));
      },
    },
    jobs: {
      async cancel(jobId) {
        const cancel = running.get(jobId);
        cancel?.();
        return Boolean(cancel);
      },
    },
  };
}
