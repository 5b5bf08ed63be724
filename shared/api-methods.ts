import type { FunnelscopeApi } from './api';

type MethodPaths<A> = {
  [Group in keyof A & string]: `${Group}.${keyof A[Group] & string}`;
}[keyof A & string];

/** `group.method` of every call of the contract, e.g. "workspace.open". */
export type ApiMethodPath = MethodPaths<FunnelscopeApi>;

/**
 * Every method of the contract at run time, for the transports (preload, IPC binding, e2e host) that must
 * expose exactly the contract. Written out so a method added to `FunnelscopeApi` but not here, or listed here
 * but missing from the interface, fails the type check below.
 */
const METHODS = {
  workspace: ['open', 'info', 'createDemo', 'close'],
  ingest: ['preview', 'importFiles', 'rejectedRows'],
  detection: ['run'],
  incidents: ['list', 'get', 'label', 'kpis'],
  attribution: ['explain'],
  metrics: ['catalog', 'series', 'define', 'remove'],
  cohorts: ['dimensions', 'breakdown', 'funnel'],
  annotations: ['list'],
  settings: ['get', 'update'],
  reports: ['export', 'audit'],
  alerts: ['listRules', 'saveRule', 'deleteRule', 'inbox', 'markRead', 'exportDigest'],
  playbooks: ['list', 'forIncident', 'update', 'reset'],
  jobs: ['cancel'],
} as const satisfies { [G in keyof FunnelscopeApi]: readonly (keyof FunnelscopeApi[G])[] };

type Listed = { [G in keyof typeof METHODS]: `${G}.${(typeof METHODS)[G][number]}` }[keyof typeof METHODS];
// Fails to compile when the list misses a method of the interface.
const complete: [ApiMethodPath] extends [Listed] ? true : never = true;
void complete;

export const API_METHODS: readonly ApiMethodPath[] = Object.entries(METHODS).flatMap(([group, names]) =>
  names.map((name) => `${group}.${name}` as ApiMethodPath),
);

/**
 * Methods whose last argument is a `JobOptions` with an `onProgress` callback: a transport that cannot pass
 * functions (IPC, WebSocket) replaces the callback with progress messages.
 */
export const JOB_METHODS: readonly ApiMethodPath[] = [
  'workspace.createDemo',
  'ingest.importFiles',
  'detection.run',
];
