import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppSecrets, isCipherTrustworthy, secretFileName, type SecretCipher } from '../../main/secrets';

/** A stand-in for safeStorage: reversible, and it can be told to fail like a reset keychain. */
function fakeCipher(overrides: Partial<SecretCipher> = {}): SecretCipher & { broken: boolean } {
  const cipher = {
    broken: false,
    isEncryptionAvailable: () => true,
    encryptString: (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    decryptString(data: Buffer) {
      const text = data.toString();
      if (cipher.broken || !text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
      return [...text.slice(4)].reverse().join('');
    },
    ...overrides,
  };
  return cipher;
}

function setup(cipher: SecretCipher = fakeCipher(), platform: NodeJS.Platform = 'darwin') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-secrets-'));
  const logs: string[] = [];
  const secrets = new AppSecrets({
    cipher,
    directory: path.join(dir, 'userData', 'workspace-keys'),
    platform,
    log: (m) => logs.push(m),
  });
  return {
    dir,
    secrets,
    logs,
    workspace: path.join(dir, 'w.fscope'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

test('a new workspace gets a new secret, stored encrypted and returned again', async () => {
  const { secrets, dir, workspace, cleanup } = setup();
  try {
    const first = await secrets.secretFor(workspace, { create: true });
    assert.equal(first.length, 32);
    fs.writeFileSync(workspace, 'db'); // the workspace now exists
    assert.deepEqual(await secrets.secretFor(workspace, { create: false }), first);
    const stored = path.join(dir, 'userData', 'workspace-keys', secretFileName(workspace));
    const blob = fs.readFileSync(stored, 'utf8');
    assert.ok(blob.startsWith('enc:'), 'stored through the cipher');
    assert.ok(!blob.includes(Buffer.from(first).toString('hex')), 'never in clear');
    if (process.platform !== 'win32') assert.equal(fs.statSync(stored).mode & 0o777, 0o600);
    assert.ok(!fs.existsSync(`${workspace}.key`), 'no key file beside the workspace');
  } finally {
    cleanup();
  }
});

test('a key file made by the CLI is imported and wins', async () => {
  const { secrets, workspace, logs, cleanup } = setup();
  try {
    await secrets.secretFor(workspace, { create: true }); // an older secret stored for the same path
    fs.writeFileSync(workspace, 'db');
    const cliKey = 'ab'.repeat(32);
    fs.writeFileSync(`${workspace}.key`, `${cliKey}\n`, { mode: 0o600 });
    const secret = await secrets.secretFor(workspace, { create: false });
    assert.equal(Buffer.from(secret).toString('hex'), cliKey);
    assert.ok(logs.some((l) => /Imported the key file/.test(l)));
    fs.rmSync(`${workspace}.key`);
    assert.equal(Buffer.from(await secrets.secretFor(workspace, { create: false })).toString('hex'), cliKey);
  } finally {
    cleanup();
  }
});

test('an existing workspace with an unknown key is refused, a missing one is not found', async () => {
  const { secrets, workspace, cleanup } = setup();
  try {
    await assert.rejects(secrets.secretFor(workspace, { create: false }), { code: 'WORKSPACE_NOT_FOUND' });
    fs.writeFileSync(workspace, 'db');
    await assert.rejects(
      secrets.secretFor(workspace, { create: true }),
      (error: { code: string; message: string }) => {
        assert.equal(error.code, 'WORKSPACE_KEY_MISMATCH');
        assert.match(error.message, /w\.fscope\.key/);
        return true;
      },
    );
  } finally {
    cleanup();
  }
});

test('a secret the keychain can no longer decrypt is reported, not replaced', async () => {
  const cipher = fakeCipher();
  const { secrets, workspace, cleanup } = setup(cipher);
  try {
    await secrets.secretFor(workspace, { create: true });
    cipher.broken = true;
    await assert.rejects(secrets.secretFor(workspace, { create: true }), { code: 'WORKSPACE_KEY_MISMATCH' });
  } finally {
    cleanup();
  }
});

test('without a trustworthy keychain the key is kept beside the workspace, as the CLI does', async () => {
  const basic = fakeCipher({ getSelectedStorageBackend: () => 'basic_text' });
  assert.equal(isCipherTrustworthy(basic, 'linux'), false);
  assert.equal(isCipherTrustworthy(basic, 'darwin'), true);
  assert.equal(isCipherTrustworthy(fakeCipher({ isEncryptionAvailable: () => false }), 'win32'), false);
  assert.equal(
    isCipherTrustworthy(fakeCipher({ getSelectedStorageBackend: () => 'gnome_libsecret' }), 'linux'),
    true,
  );

  const { secrets, workspace, logs, dir, cleanup } = setup(basic, 'linux');
  try {
    assert.ok(logs.some((l) => /No system keychain/.test(l)));
    const secret = await secrets.secretFor(workspace, { create: true });
    assert.equal(fs.readFileSync(`${workspace}.key`, 'utf8').trim(), Buffer.from(secret).toString('hex'));
    assert.ok(!fs.existsSync(path.join(dir, 'userData', 'workspace-keys')));
  } finally {
    cleanup();
  }
});
