import type { ImportOptions } from '../shared/ingest';
import { previewFile } from './ingest/preview';
import { exposeApi } from './pool/expose';
import { detectIncidents } from './incidents/detect';
import { detectionKpis, getIncident, listIncidents } from './incidents/store';
import type { ReaderApi } from './pool/protocol';
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
  async info(path) {
    return workspaceInfo(connection(path), path);
  },
  async rejectedRows(path, sourceId, limit, offset) {
    return rejectedRows(connection(path), sourceId, limit, offset);
  },
  async preview(file, options: ImportOptions) {
    return previewFile(file, options);
  },
  async detect(path, options) {
    return detectIncidents(connection(path), options);
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
  async close(path) {
    connections.get(path)?.close();
    connections.delete(path);
  },
};

exposeApi(api);
