/**
 * The workspace secret for the command-line interface, kept next to the workspace as `<workspace>.key`: 32
 * random bytes written as 64 hex characters and a newline, readable by the owner only (0600). The desktop
 * app keeps its secret in Electron safeStorage instead.
 *
 * Creation never leaves a half-written key behind: the key goes to a temporary file in the same folder
 * (created 0600, flushed to disk) which is then hard-linked into place. Linking fails when the key file
 * already exists, so two processes creating a key at once both end up with the one that won; on file
 * systems without hard links the temporary file is renamed into place instead.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';

const SECRET_BYTES = 32;
const KEY_PATTERN = /^[0-9a-fA-F]{64}\s*$/;

export interface LoadedKey {
  secret: Uint8Array;
  /** True when this call created the key file. */
  created: boolean;
  path: string;
}

export function keyFilePath(workspacePath: string): string {
  return `${workspacePath}.key`;
}

function errorCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
}

function missingKey(keyPath: string): FunnelscopeError {
  return new FunnelscopeError(
    'WORKSPACE_KEY_MISMATCH',
    `The workspace key file is missing. It is expected at ${keyPath}. Without it, pseudonyms of new imports ` +
      'would not match those of earlier imports. Restore the key file from where you keep it, or create a ' +
      'new workspace.',
    { path: keyPath, reason: 'missing' },
  );
}

/** Reads and checks an existing key file; null when it does not exist. */
function readKey(keyPath: string): Uint8Array | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(keyPath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new FunnelscopeError(
      'WORKSPACE_INVALID',
      `The workspace key file ${keyPath} cannot be read: ${String(error)}`,
      {
        path: keyPath,
        reason: 'unreadable',
      },
    );
  }
  if (!stat.isFile()) {
    throw new FunnelscopeError('WORKSPACE_INVALID', `The workspace key path ${keyPath} is not a file.`, {
      path: keyPath,
      reason: 'malformed',
    });
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new FunnelscopeError(
      'WORKSPACE_INVALID',
      `The workspace key file ${keyPath} is readable by other users (mode ${mode}). Restrict it to its owner ` +
        `with: chmod 600 "${keyPath}"`,
      { path: keyPath, reason: 'permissions', mode },
    );
  }
  const text = stat.size <= 1024 ? fs.readFileSync(keyPath, 'utf8') : '';
  if (!KEY_PATTERN.test(text)) {
    throw new FunnelscopeError(
      'WORKSPACE_KEY_MISMATCH',
      `The workspace key file ${keyPath} is malformed: it must hold exactly 64 hexadecimal characters ` +
        '(a 32-byte key). Restore the original key file; a new key would not reproduce earlier pseudonyms.',
      { path: keyPath, reason: 'malformed' },
    );
  }
  return new Uint8Array(Buffer.from(text.trim(), 'hex'));
}

function fsyncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not supported everywhere (e.g. Windows); the key itself has been flushed.
  }
}

/** Writes a new key; returns false when another process created the key file first. */
function writeNewKey(keyPath: string, secret: Uint8Array): boolean {
  const dir = path.dirname(keyPath);
  const tmp = path.join(
    dir,
    `.${path.basename(keyPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (error) {
    const code = errorCode(error);
    throw new FunnelscopeError(
      code === 'ENOENT' ? 'WORKSPACE_NOT_FOUND' : 'WORKSPACE_INVALID',
      code === 'ENOENT'
        ? `The folder ${dir} of the workspace does not exist.`
        : `The workspace key file cannot be created in ${dir}: ${String(error)}`,
      { path: keyPath, reason: 'create_failed' },
    );
  }
  try {
    try {
      if (process.platform !== 'win32') fs.fchmodSync(fd, 0o600);
      fs.writeFileSync(fd, `${Buffer.from(secret).toString('hex')}\n`, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, keyPath);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      if (fs.existsSync(keyPath)) return false;
      fs.renameSync(tmp, keyPath);
    }
    fsyncDirectory(dir);
    return true;
  } catch (error) {
    if (error instanceof FunnelscopeError) throw error;
    throw new FunnelscopeError(
      'WORKSPACE_INVALID',
      `The workspace key file ${keyPath} cannot be written: ${String(error)}`,
      {
        path: keyPath,
        reason: 'create_failed',
      },
    );
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The secret of the workspace at `workspacePath`, read from its key file. With `create`, a missing key file
 * is created with a fresh random key; without it, a missing file is WORKSPACE_KEY_MISMATCH (pseudonyms of
 * new imports would not match earlier ones). A malformed key file is WORKSPACE_KEY_MISMATCH; a key file
 * that group or others can access (POSIX) is WORKSPACE_INVALID, naming the chmod that fixes it.
 */
export function loadOrCreateKey(workspacePath: string, { create }: { create: boolean }): LoadedKey {
  const keyPath = keyFilePath(workspacePath);
  const existing = readKey(keyPath);
  if (existing) return { secret: existing, created: false, path: keyPath };
  if (!create) throw missingKey(keyPath);
  const secret = new Uint8Array(randomBytes(SECRET_BYTES));
  if (writeNewKey(keyPath, secret)) return { secret, created: true, path: keyPath };
  const winner = readKey(keyPath);
  if (!winner) throw missingKey(keyPath);
  return { secret: winner, created: false, path: keyPath };
}
