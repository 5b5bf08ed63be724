import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withWorkspaceExtension } from '../../main/args';
import { appPaths, unpackedPath } from '../../main/paths';

test('workers run from the unpacked copy of the asar archive', () => {
  const packaged = appPaths(path.join('/opt/Funnelscope/resources', 'app.asar'));
  assert.equal(packaged.workers, path.join('/opt/Funnelscope/resources', 'app.asar.unpacked', 'dist'));
  assert.equal(packaged.renderer, path.join('/opt/Funnelscope/resources', 'app.asar', 'dist', 'renderer'));
  assert.equal(
    packaged.preload,
    path.join('/opt/Funnelscope/resources', 'app.asar', 'dist', 'main', 'preload.cjs'),
  );
  const dev = appPaths('/home/dev/funnelscope');
  assert.equal(dev.workers, path.join('/home/dev/funnelscope', 'dist'));
  assert.equal(
    unpackedPath('C:\\App\\resources\\app.asar\\dist'),
    'C:\\App\\resources\\app.asar.unpacked\\dist',
  );
  assert.equal(unpackedPath('/x/my.asarfile/dist'), '/x/my.asarfile/dist');
});

test('a new workspace gets the .fscope extension when it was left out', () => {
  assert.equal(withWorkspaceExtension('/d/q3'), '/d/q3.fscope');
  assert.equal(withWorkspaceExtension('/d/q3.FSCOPE'), '/d/q3.FSCOPE');
});
