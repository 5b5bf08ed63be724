/**
 * Keyed pseudonyms for identifiers (user, session, order ids, e-mails…). The same value under the same
 * workspace secret always gives the same pseudonym, so joins and distinct counts still work, while the raw
 * value cannot be recovered or confirmed without the secret:
 *
 *   pseudonym = base64url(first 16 bytes of HMAC-SHA-256(secret, kind + "\u0000" + normalised value))
 *
 * Values are normalised first: surrounding whitespace is trimmed and e-mail addresses are lower-cased
 * (for kind `email`, and for values of any kind that are e-mail addresses, e.g. a user id column holding
 * e-mails), so `" Jane@Example.com"` and `"jane@example.com"` share a pseudonym.
 */
import { createHmac, createSecretKey, hash, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { FunnelscopeError } from '../../shared/errors';

/** Distinct values remembered per pseudonymiser before the memo is cleared (bounded memory). */
const MEMO_LIMIT = 200_000;
/**
 * The label whose HMAC is stored in the workspace to recognise the key. It contains no NUL character, so it
 * can never be the input of a pseudonym (those always contain one).
 */
const KEY_CHECK_LABEL = 'funnelscope key check v1';
const MIN_SECRET_BYTES = 16;

function secretKey(secret: Uint8Array): KeyObject {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `The workspace secret must be at least ${MIN_SECRET_BYTES} bytes (a key file holds 32)`,
    );
  }
  return createSecretKey(secret);
}

/** Whether a trimmed value is shaped like an e-mail address (one `@`, a dot in the domain, no spaces). */
function looksLikeEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@') || at === value.length - 1) return false;
  if (value.indexOf('.', at) < 0) return false;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) <= 32) return false;
  return true;
}

/** The form of a value that is hashed: trimmed, and lower-cased when it is an e-mail address. */
export function normaliseIdentifier(kind: string, value: string): string {
  const trimmed = value.trim();
  return kind === 'email' || looksLikeEmail(trimmed) ? trimmed.toLowerCase() : trimmed;
}

/**
 * A pseudonymiser bound to `secret` (at least 16 bytes; workspaces use 32). The returned function maps
 * `(kind, value)` to a 22-character base64url pseudonym and memoises recent results, because identifiers
 * repeat a lot within a file.
 */
export function createPseudonymizer(
  secret: Uint8Array,
  options: { memo?: boolean } = {},
): (kind: string, value: string) => string {
  secretKey(secret);
  const hmac = hmacSha256(secret);
  const pseudonymOf = (kind: string, value: string) =>
    hmac(Buffer.from(`${kind}\u0000${normaliseIdentifier(kind, value)}`, 'utf8'))
      .subarray(0, 16)
      .toString('base64url');
  if (options.memo === false) return pseudonymOf;
  const memo = new Map<string, Map<string, string>>();
  let size = 0;
  return (kind, value) => {
    let byKind = memo.get(kind);
    if (byKind === undefined) {
      byKind = new Map();
      memo.set(kind, byKind);
    }
    const known = byKind.get(value);
    if (known !== undefined) return known;
    const pseudonym = pseudonymOf(kind, value);
    if (size >= MEMO_LIMIT) {
      for (const map of memo.values()) map.clear();
      size = 0;
    }
    byKind.set(value, pseudonym);
    size++;
    return pseudonym;
  };
}

/**
 * Integer pseudonyms for the events table: the first 53 bits of the same keyed HMAC, so they fit a JavaScript
 * number and an SQLite integer exactly. Two identifiers share a key with probability about n²/2⁵⁴
 * (5·10⁻⁵ for a million distinct users): negligible for the counts and funnels built from them.
 */
export function createPseudonymKeys(secret: Uint8Array): (kind: string, value: string) => number {
  secretKey(secret);
  const hmac = hmacSha256(secret);
  return (kind, value) => {
    const digest = hmac(Buffer.from(`${kind}\u0000${normaliseIdentifier(kind, value)}`, 'utf8'));
    return digest.readUIntBE(0, 6) * 32 + ((digest[6] as number) >> 3);
  };
}

/**
 * HMAC-SHA-256 (RFC 2104) over one-shot `crypto.hash` calls with the padded keys computed once: about a
 * quarter faster than a `createHmac` object per value, which matters at a million identifiers per import.
 * Its output is tested against `createHmac`.
 */
function hmacSha256(secret: Uint8Array): (message: Buffer) => Buffer {
  const BLOCK = 64;
  const key: Uint8Array = secret.length > BLOCK ? hash('sha256', Buffer.from(secret), 'buffer') : secret;
  const inner = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i] = (inner[i] as number) ^ (key[i] as number);
    outer[i] = (outer[i] as number) ^ (key[i] as number);
  }
  return (message) => {
    const innerDigest = hash('sha256', Buffer.concat([inner, message]), 'buffer');
    innerDigest.copy(outer, BLOCK);
    return hash('sha256', outer, 'buffer') as unknown as Buffer;
  };
}

/**
 * A check value for `secret`, stored in the workspace: the base64url HMAC-SHA-256 of a fixed label. It lets
 * a wrong key file be detected without revealing anything about the key.
 */
export function keyCheck(secret: Uint8Array): string {
  return createHmac('sha256', secretKey(secret)).update(KEY_CHECK_LABEL, 'utf8').digest('base64url');
}

/** Whether `secret` produced the stored check value (compared in constant time). */
export function keyMatches(secret: Uint8Array, storedCheck: string): boolean {
  const expected = Buffer.from(keyCheck(secret), 'utf8');
  const actual = Buffer.from(storedCheck, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
