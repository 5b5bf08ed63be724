import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REES46, tempDir } from './helpers';

const CLI = path.resolve('main/cli.ts');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('report writes a masked file and audit lists it; bad arguments and a missing Chromium say what to do', () => {
  const dir = tempDir();
  const workspace = path.join(dir, 'w.fscope');
  assert.equal(cli(['import', REES46, '--workspace', workspace]).code, 0);

  const out = path.join(dir, 'summary.html');
  const run = cli([
    'report',
    '--workspace',
    workspace,
    '--template',
    'executive',
    '--format',
    'html',
    '--out',
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /executive report of 0 incidents \(html\)/);
  assert.match(fs.readFileSync(out, 'utf8'), /No incident in this period/);

  const csv = path.join(dir, 'ops.csv');
  const tables = cli([
    'report',
    '-w',
    workspace,
    '--template',
    'operational',
    '--format',
    'csv',
    '--out',
    csv,
    '--json',
  ]);
  assert.equal(tables.code, 0, tables.stderr);
  const files = (JSON.parse(tables.stdout) as { files: { file: string }[] }).files.map((f) =>
    path.basename(f.file),
  );
  assert.deepEqual(files, [
    'ops.csv',
    'ops.timeline.csv',
    'ops.attribution.csv',
    'ops.breakdown.csv',
    'ops.series.csv',
    'ops.playbook.csv',
  ]);

  const audit = cli(['audit', '--workspace', workspace, '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  const entries = JSON.parse(audit.stdout) as { action: string; file: string; sha256: string }[];
  assert.equal(entries.length, 1 + files.length);
  assert.equal(entries[0]?.file, out);

  const usage = cli(['report', '--workspace', workspace, '--format', 'html', '--out', out]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--template executive\|operational/);

  const pdf = path.join(dir, 'r.pdf');
  const noChromium = cli(
    ['report', '--workspace', workspace, '--template', 'executive', '--format', 'pdf', '--out', pdf],
    { FUNNELSCOPE_CHROMIUM: path.join(dir, 'no-chromium') },
  );
  assert.equal(noChromium.code, 1);
  assert.match(noChromium.stderr, /install one .*FUNNELSCOPE_CHROMIUM/);
  assert.ok(!fs.existsSync(pdf));
});
