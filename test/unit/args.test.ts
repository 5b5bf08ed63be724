import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { secondInstanceWorkspace, workspaceFromArgv } from '../../main/args';

const cwd = path.resolve('/home/ana');

test('the workspace comes from --workspace=PATH, --workspace PATH or a bare .fscope path', () => {
  const electron = ['/opt/Funnelscope/funnelscope', '.'];
  assert.equal(
    workspaceFromArgv([...electron, '--workspace=/data/q3.fscope'], cwd),
    path.resolve('/data/q3.fscope'),
  );
  assert.equal(
    workspaceFromArgv([...electron, '--workspace', 'q3.fscope'], cwd),
    path.join(cwd, 'q3.fscope'),
  );
  assert.equal(
    workspaceFromArgv(['/opt/Funnelscope/funnelscope', 'Q3 drop.FSCOPE'], cwd),
    path.join(cwd, 'Q3 drop.FSCOPE'),
  );
  assert.equal(workspaceFromArgv([...electron, '--no-sandbox-warning', '--enable-logging'], cwd), null);
  assert.equal(workspaceFromArgv([...electron, '--workspace'], cwd), null);
});

test('a second instance passes its workspace as lock data, or its argv is read', () => {
  assert.equal(secondInstanceWorkspace({ workspace: '/data/a.fscope' }, [], cwd), '/data/a.fscope');
  assert.equal(secondInstanceWorkspace({ workspace: 'relative.fscope' }, [], cwd), null);
  assert.equal(
    secondInstanceWorkspace({ workspace: 7 }, ['x', '--workspace=b.fscope'], cwd),
    path.join(cwd, 'b.fscope'),
  );
  assert.equal(secondInstanceWorkspace(null, [], cwd), null);
});
