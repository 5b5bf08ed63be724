import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError, toErrorShape } from '../shared/errors';
import type { ImportOptions, ImportProgress, ImportResult } from '../shared/ingest';
import type { DemoOptions, DemoSummary } from '../shared/workspace';
import { importFile } from './ingest/import';
import { keyCheck } from './mask/pseudonym';
import { cancelCheck } from './pool/cancel';
import { exposeApi } from './pool/expose';
import type { WorkspaceKey, WriterApi } from './pool/protocol';
import { getSetting, openWorkspace, type Db } from './store/workspace';
import { generateDemoData } from './demo/generate';
import { buildCube } from './metrics/cube';
import { updateSettings } from './explore/settings';
import { labelIncident, saveDetectionRun } from './incidents/store';
import { exportReport } from './report/export';
import { resetPlaybook, updatePlaybook } from './report/playbook-store';
import { exportDigest } from './alerts/export-digest';
import { markRead, recordAlerts } from './alerts/inbox';
import { deleteRule, saveRule } from './alerts/rules';
import { metricCatalog } from './explore/catalog';
import { deleteCustomMetric, saveCustomMetric } from './metrics/custom-metrics';

const connections = new Map<string, Db>();
/** One job at a time per writer: imports are single transactions on the one write connection. */
let queue: Promise<unknown> = Promise.resolve();
function serialised<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

function connection(workspace: WorkspaceKey, options: { create: boolean; timeZone?: string }): Db {
  const existing = connections.get(workspace.path);
  if (existing) return existing;
  const check = keyCheck(workspace.secret);
  const db = openWorkspace(workspace.path, {
    create: options.create,
    timeZone: options.timeZone,
    keyCheck: check,
  });
  const stored = getSetting(db, 'key_check');
  if (stored && stored !== check) {
    db.close();
    throw new FunnelscopeError(
      'WORKSPACE_KEY_MISMATCH',
      `The pseudonymisation key given for ${workspace.path} is not the one this workspace was created with, ` +
        "so new pseudonyms would not match earlier ones. Use the workspace's own key file.",
    );
  }
  connections.set(workspace.path, db);
  return db;
}

/**
 * Extends the metric cube after an import. The imports are committed already, so a failure here is reported on
 * the results and the cube is extended again at the next import.
 */
function extendCube(db: Db, results: ImportResult[]): void {
  try {
    const cube = buildCube(db);
    const last = results.findLast((r) => 'status' in r);
    if (last && 'notes' in last)
      last.notes.push(
        `Metric cube: ${cube.bucketMinutes}-minute buckets, ${cube.rows.toLocaleString('en-US')} rows (${cube.durationMs} ms${cube.rebuilt ? ', rebuilt' : ''}).`,
      );
  } catch (error) {
    const last = results.findLast((r) => 'status' in r);
    if (last && 'notes' in last)
      last.notes.push(
        `The metric cube could not be extended (${toErrorShape(error).message}); it will be at the next import.`,
      );
  }
}

const api: WriterApi = {
  async open(workspace, options) {
    return serialised(async () => {
      connection(workspace, options);
    });
  },

  async importFiles(workspace, files, options: ImportOptions, cancel, onProgress) {
    return serialised(async () => {
      const db = connection(workspace, { create: true, timeZone: options.timeZone });
      const isCancelled = cancelCheck(cancel);
      const results: ImportResult[] = [];
      for (const file of files) {
        if (isCancelled()) {
          results.push({
            file,
            error: { code: 'CANCELLED', message: 'Import cancelled before this file started.' },
          });
          continue;
        }
        try {
          const progress = onProgress ? (p: ImportProgress) => void onProgress(p) : undefined;
          results.push(
            await importFile(db, file, options, {
              secret: workspace.secret,
              isCancelled,
              onProgress: progress,
            }),
          );
        } catch (error) {
          results.push({ file, error: toErrorShape(error) });
        }
      }
      if (results.some((r) => 'status' in r && r.status === 'imported')) extendCube(db, results);
      db.pragma('wal_checkpoint(PASSIVE)');
      return results;
    });
  },

  async demo(workspace, options: DemoOptions, cancel, onProgress) {
    return serialised(async (): Promise<DemoSummary> => {
      const db = connection(workspace, { create: true });
      const isCancelled = cancelCheck(cancel);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnelscope-demo-'));
      try {
        const truth = await generateDemoData({
          dir,
          ...(options.days !== undefined ? { days: options.days } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          ...(options.sessionsPerDay !== undefined ? { sessionsPerDay: options.sessionsPerDay } : {}),
        });
        const groundTruthFile = `${workspace.path}.ground-truth.json`;
        fs.writeFileSync(groundTruthFile, `${JSON.stringify(truth, null, 2)}\n`);
        const imports: DemoSummary['imports'] = [];
        for (const file of truth.files) {
          const progress = onProgress ? (p: ImportProgress) => void onProgress(p) : undefined;
          const summary = await importFile(
            db,
            path.isAbsolute(file) ? file : path.join(dir, file),
            {},
            {
              secret: workspace.secret,
              isCancelled,
              onProgress: progress,
            },
          );
          imports.push({
            file: path.basename(file),
            rowsImported: summary.rowsImported,
            rowsRejected: summary.rowsRejected,
          });
        }
        buildCube(db);
        db.pragma('wal_checkpoint(PASSIVE)');
        return {
          workspace: workspace.path,
          groundTruthFile,
          days: truth.days,
          seed: truth.seed,
          incidents: truth.incidents.length,
          imports,
        };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  },

  async buildCube(workspace) {
    return serialised(async () => {
      buildCube(connection(workspace, { create: false }));
    });
  },

  async saveDetectionRun(workspace, run) {
    return serialised(async () => {
      const db = connection(workspace, { create: false });
      const saved = saveDetectionRun(db, run);
      // Only what was kept (suppressed false alarms are gone) can alert.
      return { run: saved, alerts: recordAlerts(db, saved.incidents) };
    });
  },
  async labelIncident(workspace, id, label, note) {
    return serialised(async () => labelIncident(connection(workspace, { create: false }), id, label, note));
  },
  async updateSettings(workspace, patch) {
    return serialised(async () => updateSettings(connection(workspace, { create: false }), patch));
  },
  async exportReport(workspace, request, printPdf) {
    return serialised(async () => exportReport(connection(workspace, { create: false }), request, printPdf));
  },
  async saveAlertRule(workspace, rule) {
    return serialised(async () => saveRule(connection(workspace, { create: false }), rule));
  },
  async deleteAlertRule(workspace, id) {
    return serialised(async () => deleteRule(connection(workspace, { create: false }), id));
  },
  async defineMetric(workspace, metric) {
    return serialised(async () => {
      const db = connection(workspace, { create: false });
      const taken = metricCatalog(db).map((m) => m.name);
      return saveCustomMetric(db, metric, taken);
    });
  },
  async removeMetric(workspace, name) {
    return serialised(async () => deleteCustomMetric(connection(workspace, { create: false }), name));
  },
  async markAlertsRead(workspace, ids, read) {
    return serialised(async () => markRead(connection(workspace, { create: false }), ids, read));
  },
  async exportDigest(workspace, request) {
    return serialised(async () => exportDigest(connection(workspace, { create: false }), request));
  },
  async updatePlaybook(workspace, kind, steps) {
    return serialised(async () => updatePlaybook(connection(workspace, { create: false }), kind, steps));
  },
  async resetPlaybook(workspace, kind) {
    return serialised(async () => resetPlaybook(connection(workspace, { create: false }), kind));
  },

  async close(file) {
    return serialised(async () => {
      const db = connections.get(file);
      if (db) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        connections.delete(file);
      }
    });
  },
};

exposeApi(api);
