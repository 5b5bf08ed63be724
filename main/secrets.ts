import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError } from '../shared/errors';
import { keyFilePath, loadOrCreateKey } from '../workers/pool/keys';
import type { SecretProvider } from './api';

const SECRET_BYTES = 32;

/** The part of Electron's `safeStorage` used here; a fake in the unit tests. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring backs the encryption. */
  getSelectedStorageBackend?(): string;
}

/**
 * Whether the cipher really protects a secret. On Linux without a keyring Electron falls back to
 * 'basic_text', a hard-coded password: that is obfuscation, not protection, so it is not used.
 */
export function isCipherTrustworthy(
  cipher: SecretCipher,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!cipher.isEncryptionAvailable()) return false;
  if (platform === 'linux' && cipher.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

/** The file that holds a workspace's encrypted secret: named by a hash, so the folder lists no paths. */
export function secretFileName(workspace: string): string {
  return `${createHash('sha256').update(path.resolve(workspace)).digest('hex')}.secret`;
}

export interface AppSecretsOptions {
  cipher: SecretCipher;
  /** A private folder in the app's user data. */
  directory: string;
  platform?: NodeJS.Platform;
  log?: (message: string) => void;
}

/**
 * The app's pseudonymisation secrets, one per workspace, encrypted with the OS keychain through Electron's
 * safeStorage and stored in the user-data folder. Which secret a workspace gets:
 *
 * 1. a key file `W.key` beside the workspace (made by the CLI) wins and is imported, so a workspace made on the
 *    command line opens in the app with the same pseudonyms;
 * 2. else the secret stored for this path;
 * 3. else, for a workspace that does not exist yet, a new random secret. An existing workspace whose secret is
 *    unknown is refused: a new secret would silently break the link between old and new pseudonyms.
 *
 * Without a trustworthy keychain the app does what the CLI does (a W.key file readable only by the user)
 * and says so in its log, rather than pretend to encrypt.
 */
export class AppSecrets implements SecretProvider {
  private readonly cipher: SecretCipher;
  private readonly directory: string;
  private readonly trustworthy: boolean;
  private readonly log: (message: string) => void;

  constructor(options: AppSecretsOptions) {
    this.cipher = options.cipher;
    this.directory = options.directory;
    this.trustworthy = isCipherTrustworthy(options.cipher, options.platform);
    this.log = options.log ?? (() => undefined);
    if (!this.trustworthy)
      this.log(
        'No system keychain is available to encrypt workspace keys; each key is kept beside its workspace ' +
          'as W.key, readable only by you, as the command line does.',
      );
  }

  async secretFor(workspace: string, { create }: { create: boolean }): Promise<Uint8Array> {
    const resolved = path.resolve(workspace);
    if (!this.trustworthy) return loadOrCreateKey(resolved, { create }).secret;

    if (fs.existsSync(keyFilePath(resolved))) {
      const { secret } = loadOrCreateKey(resolved, { create: false });
      const stored = this.read(resolved);
      if (!stored || !Buffer.from(stored).equals(Buffer.from(secret))) {
        this.write(resolved, secret);
        this.log(`Imported the key file ${keyFilePath(resolved)} into the app's keychain storage.`);
      }
      return secret;
    }
    const stored = this.read(resolved);
    if (stored) return stored;

    if (fs.existsSync(resolved))
      throw new FunnelscopeError(
        'WORKSPACE_KEY_MISMATCH',
        `The pseudonymisation key of ${resolved} is not known to this app. If the workspace was made with the ` +
          `command line, put its key file beside it as ${keyFilePath(resolved)} and open it again.`,
        { path: resolved, reason: 'unknown_key' },
      );
    if (!create)
      throw new FunnelscopeError('WORKSPACE_NOT_FOUND', `No workspace at ${resolved}.`, { path: resolved });
    const secret = new Uint8Array(randomBytes(SECRET_BYTES));
    this.write(resolved, secret);
    return secret;
  }

  private file(workspace: string): string {
    return path.join(this.directory, secretFileName(workspace));
  }

  private read(workspace: string): Uint8Array | null {
    let encrypted: Buffer;
    try {
      encrypted = fs.readFileSync(this.file(workspace));
    } catch {
      return null;
    }
    let hex: string;
    try {
      hex = this.cipher.decryptString(encrypted);
    } catch (error) {
      throw new FunnelscopeError(
        'WORKSPACE_KEY_MISMATCH',
        `The key stored for ${workspace} can no longer be decrypted (the system keychain may have been reset: ` +
          `${String(error)}). If you have its key file, put it beside the workspace as ${keyFilePath(workspace)}.`,
        { path: workspace, reason: 'undecryptable' },
      );
    }
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new FunnelscopeError('WORKSPACE_KEY_MISMATCH', `The key stored for ${workspace} is damaged.`, {
        path: workspace,
        reason: 'malformed',
      });
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }

  /** Written to a temporary file and renamed into place, readable by the user only. */
  private write(workspace: string, secret: Uint8Array): void {
    fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const file = this.file(workspace);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, this.cipher.encryptString(Buffer.from(secret).toString('hex')), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
}
