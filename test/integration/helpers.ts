import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi, type SecretProvider } from '../../main/api';
import type { FunnelscopeApi } from '../../shared/api';
import { isImportFailure, type ImportResult, type ImportSummary } from '../../shared/ingest';
import { EnginePool } from '../../workers/pool/pool';

/** Runs the CLI from source in a child process: exit code and both streams. */
export function runCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('main/cli.ts'), ...args], {
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const REES46 = path.resolve('../shared/data/rees46/2019-Oct-sample.csv');

export function tempDir(prefix = 'fscope-it-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fixed per-test secret, as the app's safeStorage would hand out. */
export function fixedSecrets(secret = crypto.randomBytes(32)): SecretProvider {
  return { secretFor: async () => secret };
}

export interface Harness {
  api: FunnelscopeApi;
  pool: EnginePool;
  dir: string;
  workspace: string;
  close(): Promise<void>;
}

export function harness(): Harness {
  const pool = new EnginePool({ readers: 1 });
  const dir = tempDir();
  const workspace = path.join(dir, 'test.fscope');
  const api = createApi({ pool, secrets: fixedSecrets() });
  return {
    api,
    pool,
    dir,
    workspace,
    async close() {
      await pool.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function imported(result: ImportResult | undefined): ImportSummary {
  if (!result) throw new Error('no import result');
  if (isImportFailure(result)) throw new Error(`import failed: ${result.error.code} ${result.error.message}`);
  return result;
}

export function failure(result: ImportResult | undefined) {
  if (!result) throw new Error('no import result');
  if (!isImportFailure(result)) throw new Error(`expected the import of ${result.file} to fail`);
  return result.error;
}

/** Every byte of the workspace on disk: the database, its WAL and shared-memory files. */
export function workspaceBytes(workspace: string): Buffer {
  return Buffer.concat(
    [workspace, `${workspace}-wal`, `${workspace}-shm`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f)),
  );
}

/** Starts an import and cancels it from its first progress report while importing rows. */
export async function importAndCancel(h: Harness, file: string, jobId: string) {
  let cancelled = false;
  const [result] = await h.api.ingest.importFiles(
    h.workspace,
    [file],
    {},
    {
      jobId,
      onProgress: (p) => {
        if (!cancelled && p.phase === 'importing' && p.rowsRead > 0) {
          cancelled = true;
          void h.api.jobs.cancel(jobId);
        }
      },
    },
  );
  return { cancelled, result };
}
