import type { FilePreview, ImportOptions, ImportProgress, ImportResult, RejectedRow } from './ingest';
import type { DemoOptions, DemoSummary, WorkspaceInfo } from './workspace';
import type { DetectionRun, DetectOptions } from './incidents';

export type ProgressListener<P> = (progress: P) => void;

/** Options of a long job: a progress listener and an id by which `jobs.cancel` can stop it. */
export interface JobOptions<P> {
  onProgress?: ProgressListener<P>;
  jobId?: string;
}

/**
 * Every call the renderer (and the CLI) can make, grouped by domain. The preload exposes exactly this
 * interface, `main/api.ts` implements it over the worker pool, the e2e host serves it over a WebSocket.
 * Failures reject with `{code, message, details}` (see errors.ts).
 */
export interface FunnelscopeApi {
  workspace: {
    /** Opens (or with `create`, creates) a workspace and returns what it holds. */
    open(path: string, options?: { create?: boolean; timeZone?: string }): Promise<WorkspaceInfo>;
    info(path: string): Promise<WorkspaceInfo>;
    /** Generates the simulated store, imports it, and writes the ground truth beside the workspace. */
    createDemo(path: string, options?: DemoOptions, job?: JobOptions<ImportProgress>): Promise<DemoSummary>;
    close(path: string): Promise<void>;
  };
  ingest: {
    /** Detected format, preset, mapping and PII of a file, with its first rows masked; writes nothing. */
    preview(file: string, options?: ImportOptions): Promise<FilePreview>;
    /** Imports each file in its own transaction; a refused file does not stop the others. */
    importFiles(
      workspace: string,
      files: string[],
      options?: ImportOptions,
      job?: JobOptions<ImportProgress>,
    ): Promise<ImportResult[]>;
    rejectedRows(
      workspace: string,
      sourceId: number,
      limit?: number,
      offset?: number,
    ): Promise<RejectedRow[]>;
  };
  detection: {
    /** Extends the metric cube if needed, then runs every detector over every watched cohort. */
    run(workspace: string, options?: DetectOptions): Promise<DetectionRun>;
  };
  jobs: {
    /** Cancels a running job; it rolls back and its promise rejects with CANCELLED. */
    cancel(jobId: string): Promise<boolean>;
  };
}
