import type { ImportOptions } from '../shared/ingest';
import { previewFile } from './ingest/preview';
import { cancelCheck } from './pool/cancel';
import { exposeApi } from './pool/expose';
import { detectIncidents } from './incidents/detect';
import { listAnnotations } from './explore/annotations';
import { metricCatalog, resolveMetric } from './explore/catalog';
import { breakdown } from './explore/cohorts';
import { cohortDimensions } from './explore/dimensions';
import { funnel } from './explore/funnel';
import { metricSeries } from './explore/series';
import { readSettings } from './explore/settings';
import { detectionKpis, getIncident, listIncidents } from './incidents/store';
import { explainStoredIncident } from './attribute/causes';
import type { ReaderApi } from './pool/protocol';
import { listAudit } from './report/audit';
import { storedIncidentKind } from './report/incident-kind';
import { effectivePlaybook, listPlaybooks } from './report/playbook-store';
import { listInbox } from './alerts/inbox';
import { listRules } from './alerts/rules';
import { workspaceInfo } from './store/info';
import { rejectedRows } from './store/sources';
import { openWorkspace, type Db } from './store/workspace';

const connections = new Map<string, Db>();

function connection(path: string): Db {
  let db = connections.get(path);
  if (!db) {
    db = openWorkspace(path, { readonly: true });
    connections.set(path, db);
  }
  return db;
}

const api: ReaderApi = {
  async info(path, options) {
    return workspaceInfo(connection(path), path, options);
  },
  async rejectedRows(path, sourceId, limit, offset) {
    return rejectedRows(connection(path), sourceId, limit, offset);
  },
  async preview(file, options: ImportOptions) {
    return previewFile(file, options);
  },
  async detect(path, options, cancel, onProgress) {
    return detectIncidents(connection(path), options, {
      ...(cancel ? { cancelled: cancelCheck(cancel) } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  },
  async metricCatalog(path) {
    return metricCatalog(connection(path));
  },
  async metricSeries(path, query) {
    const db = connection(path);
    return metricSeries(db, query, readSettings(db));
  },
  async cohortDimensions(path) {
    return cohortDimensions(connection(path));
  },
  async breakdown(path, query) {
    const db = connection(path);
    return breakdown(db, resolveMetric(db, query.metric), query);
  },
  async funnel(path, query) {
    return funnel(connection(path), query);
  },
  async annotations(path, window) {
    return listAnnotations(connection(path), window);
  },
  async settings(path) {
    return readSettings(connection(path));
  },
  async listIncidents(path, filter) {
    return listIncidents(connection(path), filter);
  },
  async getIncident(path, id) {
    return getIncident(connection(path), id);
  },
  async detectionKpis(path) {
    return detectionKpis(connection(path));
  },
  async explainIncident(path, id) {
    return explainStoredIncident(connection(path), id);
  },
  async auditLog(path) {
    return listAudit(connection(path));
  },
  async alertRules(path) {
    return listRules(connection(path));
  },
  async alertInbox(path, query) {
    return listInbox(connection(path), query);
  },
  async playbooks(path) {
    return listPlaybooks(connection(path));
  },
  async incidentPlaybook(path, incidentId) {
    const db = connection(path);
    return effectivePlaybook(db, storedIncidentKind(db, getIncident(db, incidentId)));
  },
  async close(path) {
    connections.get(path)?.close();
    connections.delete(path);
  },
};

exposeApi(api);
