import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';
import { keyFilePath, loadOrCreateKey } from '../../workers/mask/keyfile';
import { createPseudonymizer, keyCheck, keyMatches, normaliseIdentifier } from '../../workers/mask/pseudonym';

/** 0x00, 0x01, …, 0x1f */
const SECRET = new Uint8Array(Array.from({ length: 32 }, (_, i) => i));

describe('createPseudonymizer', () => {
  const pseudonym = createPseudonymizer(SECRET);

  it('matches HMAC-SHA-256 values computed independently (openssl)', () => {
    // printf 'user\x00541312140' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f -binary | head -c 16 | base64url
    assert.equal(pseudonym('user', '541312140'), '5d8s5pnLmplwBSM8WR2xug');
    assert.equal(pseudonym('email', 'jane.doe@example.com'), 'DWo59K79YlRu--85pcgqhA');
  });

  it('matches HMAC-SHA-256 computed here with node:crypto', () => {
    const expected = createHmac('sha256', Buffer.from(SECRET))
      .update(Buffer.concat([Buffer.from('session'), Buffer.from([0]), Buffer.from('26dd6e6e-4dac-4778')]))
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    assert.equal(pseudonym('session', '26dd6e6e-4dac-4778'), expected);
    assert.match(expected, /^[A-Za-z0-9_-]{22}$/);
  });

  it('normalises before hashing: trims, lower-cases e-mails', () => {
    assert.equal(pseudonym('user', ' 541312140\t'), '5d8s5pnLmplwBSM8WR2xug');
    assert.equal(pseudonym('email', '  Jane.Doe@Example.COM '), 'DWo59K79YlRu--85pcgqhA');
    assert.equal(normaliseIdentifier('user', ' Jane.Doe@Example.com '), 'jane.doe@example.com');
    assert.equal(normaliseIdentifier('user', ' AbC-123 '), 'AbC-123'); // other ids keep their case
    assert.notEqual(pseudonym('user', 'AbC'), pseudonym('user', 'abc'));
  });

  it('separates kinds and secrets', () => {
    assert.notEqual(pseudonym('user', '541312140'), pseudonym('order', '541312140'));
    const other = createPseudonymizer(new Uint8Array(32).fill(7));
    assert.notEqual(other('user', '541312140'), '5d8s5pnLmplwBSM8WR2xug');
    // The separator keeps ('ab', 'c') and ('a', 'bc') apart.
    assert.notEqual(pseudonym('ab', 'c'), pseudonym('a', 'bc'));
  });

  it('stays correct across memo clears', () => {
    const fresh = createPseudonymizer(SECRET);
    const first = fresh('user', '541312140');
    for (let i = 0; i < 200_500; i++) fresh('user', `u${i}`);
    assert.equal(fresh('user', '541312140'), first);
    assert.equal(first, '5d8s5pnLmplwBSM8WR2xug');
  });

  it('refuses a short secret', () => {
    assert.throws(() => createPseudonymizer(new Uint8Array(8)), { code: 'BAD_ARGUMENT' });
  });
});

describe('keyCheck', () => {
  it('is the HMAC of a fixed label and recognises the key', () => {
    // printf 'funnelscope key check v1' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f | base64url
    assert.equal(keyCheck(SECRET), 'qZJiViiIisACd5fDcz4qxB3MGSzDVb8gvwqEEjCXGh8');
    assert.equal(keyMatches(SECRET, keyCheck(SECRET)), true);
    assert.equal(keyMatches(new Uint8Array(32), keyCheck(SECRET)), false);
    assert.equal(keyMatches(SECRET, 'short'), false);
  });
});

describe('keyfile', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnelscope-key-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const posix = process.platform !== 'win32';

  it('names the key file after the workspace', () => {
    assert.equal(keyFilePath('/data/shop.fscope'), '/data/shop.fscope.key');
  });

  it('creates a 32-byte key (hex, mode 0600) once and reads it back', () => {
    const workspace = path.join(dir, 'create.fscope');
    const created = loadOrCreateKey(workspace, { create: true });
    assert.equal(created.created, true);
    assert.equal(created.path, `${workspace}.key`);
    assert.equal(created.secret.length, 32);
    const text = fs.readFileSync(created.path, 'utf8');
    assert.equal(text, `${Buffer.from(created.secret).toString('hex')}\n`);
    if (posix) assert.equal(fs.statSync(created.path).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['create.fscope.key']); // no temporary file left behind

    const again = loadOrCreateKey(workspace, { create: true });
    assert.equal(again.created, false);
    assert.deepEqual(again.secret, created.secret);
    assert.deepEqual(loadOrCreateKey(workspace, { create: false }).secret, created.secret);
  });

  it('reads a key written by hand', () => {
    const workspace = path.join(dir, 'hand.fscope');
    fs.writeFileSync(`${workspace}.key`, `${Buffer.from(SECRET).toString('hex').toUpperCase()}\r\n`, {
      mode: 0o600,
    });
    const loaded = loadOrCreateKey(workspace, { create: false });
    assert.deepEqual(loaded.secret, SECRET);
    assert.equal(loaded.created, false);
  });

  it('refuses a missing key file when not creating, saying where it is expected', () => {
    const workspace = path.join(dir, 'missing.fscope');
    assert.throws(
      () => loadOrCreateKey(workspace, { create: false }),
      (error: unknown) =>
        error instanceof FunnelscopeError &&
        error.code === 'WORKSPACE_KEY_MISMATCH' &&
        error.message.includes('missing') &&
        error.message.includes(`${workspace}.key`) &&
        error.message.includes('would not match'),
    );
    assert.equal(fs.existsSync(`${workspace}.key`), false);
  });

  it('refuses a malformed key file', () => {
    for (const [name, content] of [
      ['empty', ''],
      ['short', 'abcd\n'],
      ['nothex', `${'zz'.repeat(32)}\n`],
      ['long', `${'ab'.repeat(33)}\n`],
    ] as const) {
      const workspace = path.join(dir, `${name}.fscope`);
      fs.writeFileSync(`${workspace}.key`, content, { mode: 0o600 });
      assert.throws(
        () => loadOrCreateKey(workspace, { create: true }),
        (error: unknown) =>
          error instanceof FunnelscopeError &&
          error.code === 'WORKSPACE_KEY_MISMATCH' &&
          error.message.includes('malformed'),
        name,
      );
      assert.equal(fs.readFileSync(`${workspace}.key`, 'utf8'), content); // never overwritten
    }
  });

  it('refuses a key file readable by group or others, naming the chmod', { skip: !posix }, () => {
    const workspace = path.join(dir, 'open.fscope');
    fs.writeFileSync(`${workspace}.key`, `${'ab'.repeat(32)}\n`);
    fs.chmodSync(`${workspace}.key`, 0o644);
    assert.throws(
      () => loadOrCreateKey(workspace, { create: false }),
      (error: unknown) =>
        error instanceof FunnelscopeError &&
        error.code === 'WORKSPACE_INVALID' &&
        error.message.includes(`chmod 600 "${workspace}.key"`) &&
        error.message.includes('644'),
    );
    fs.chmodSync(`${workspace}.key`, 0o600);
    assert.equal(
      Buffer.from(loadOrCreateKey(workspace, { create: false }).secret).toString('hex'),
      'ab'.repeat(32),
    );
  });

  it('reports a missing workspace folder', () => {
    assert.throws(() => loadOrCreateKey(path.join(dir, 'no', 'such', 'w.fscope'), { create: true }), {
      code: 'WORKSPACE_NOT_FOUND',
    });
  });
});
