import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PLAYBOOK_KINDS } from '../../shared/alerts';
import {
  effectivePlaybook,
  listPlaybooks,
  resetPlaybook,
  updatePlaybook,
} from '../../workers/report/playbook-store';
import { playbookFor } from '../../workers/report/playbooks';
import { openWorkspace } from '../../workers/store/workspace';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-playbooks-'));
const db = openWorkspace(path.join(dir, 'p.fscope'), { create: true });
after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every kind starts with its built-in playbook, marked as not edited', () => {
  const list = listPlaybooks(db);
  assert.deepEqual(
    list.map((p) => p.kind),
    [...PLAYBOOK_KINDS],
  );
  for (const p of list) {
    assert.equal(p.edited, false);
    assert.equal(p.updatedAt, null);
    assert.deepEqual(p.steps, playbookFor(p.kind).steps);
    assert.deepEqual(p.builtInSteps, p.steps);
  }
});

test('an override replaces the steps of one kind only, tidied; reset goes back to the built-in steps', () => {
  const edited = updatePlaybook(
    db,
    'payment_failure',
    ['  Call the PSP  ', '', 'Check 3-D Secure\tchallenges'],
    1_700_000_000_000,
  );
  assert.deepEqual(edited.steps, ['Call the PSP', 'Check 3-D Secure challenges']);
  assert.equal(edited.edited, true);
  assert.equal(edited.updatedAt, '2023-11-14T22:13:20.000Z');
  assert.deepEqual(edited.builtInSteps, playbookFor('payment_failure').steps);
  assert.equal(edited.title, 'Payment failure', 'title and action stay');
  assert.deepEqual(effectivePlaybook(db, 'payment_failure').steps, edited.steps);
  assert.equal(effectivePlaybook(db, 'bot_traffic').edited, false, 'other kinds untouched');

  const again = updatePlaybook(db, 'payment_failure', ['Only this']);
  assert.deepEqual(again.steps, ['Only this'], 'a second edit replaces the first');

  const reset = resetPlaybook(db, 'payment_failure');
  assert.equal(reset.edited, false);
  assert.deepEqual(reset.steps, playbookFor('payment_failure').steps);
  assert.deepEqual(resetPlaybook(db, 'payment_failure').steps, reset.steps, 'reset twice is harmless');
});

test('bad kinds and bad steps are refused with what to do', () => {
  const refused = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (e: Error & { code?: string }) => e.code === 'BAD_ARGUMENT' && message.test(e.message));
  refused(
    () => updatePlaybook(db, 'volcano', ['x']),
    /"volcano" is not an incident kind; use one of payment_failure/,
  );
  refused(() => resetPlaybook(db, 'volcano'), /not an incident kind/);
  refused(() => updatePlaybook(db, 'other', ['', '  ']), /at least one step; .* reset it instead/);
  refused(() => updatePlaybook(db, 'other', 'one step'), /list of lines/);
  refused(() => updatePlaybook(db, 'other', ['x'.repeat(501)]), /Step 1 is longer than 500 characters/);
  refused(
    () =>
      updatePlaybook(
        db,
        'other',
        Array.from({ length: 31 }, () => 'step'),
      ),
    /at most 30 steps/,
  );
  assert.equal(effectivePlaybook(db, 'other').edited, false, 'nothing stored by a refused edit');
});
