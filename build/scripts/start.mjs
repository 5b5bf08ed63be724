// `npm start`: bundle, make sure a demo workspace exists, then open it in the desktop app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['build/scripts/bundle.mjs']) !== 0) process.exit(1);

const workspace = path.resolve(process.env.FUNNELSCOPE_WORKSPACE ?? 'demo-workspace/demo.fscope');
if (!fs.existsSync(workspace)) {
  fs.mkdirSync(path.dirname(workspace), { recursive: true });
  console.log(`No workspace at ${workspace}: generating the demo store (about a minute)…`);
  if (run(process.execPath, ['dist/cli.js', 'demo', '--workspace', workspace]) !== 0) process.exit(1);
  // The incident list of a first start is that of a detection run.
  if (run(process.execPath, ['dist/cli.js', 'detect', '--workspace', workspace]) !== 0) process.exit(1);
}
run(process.execPath, ['dist/cli.js', 'info', '--workspace', workspace]);

if (
  run(process.execPath, [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]) !== 0
)
  process.exit(1);

// Without Electron's runtime (an offline machine, or FUNNELSCOPE_BROWSER=1) the same UI is served on 127.0.0.1
// by the loopback host (the e2e tests' transport) for a local browser: same API, same CSP, a per-run token.
function browserMode(reason) {
  console.log(`\n${reason} Serving the workbench for a browser on this machine instead (Ctrl+C stops it):`);
  process.exit(
    run(process.execPath, ['--import', 'tsx', 'test/e2e/host/serve.ts', '--workspace', workspace]),
  );
}

if (process.env.FUNNELSCOPE_BROWSER === '1') browserMode('FUNNELSCOPE_BROWSER=1.');

// Electron's binary is fetched on first start, not at npm install (which must work offline).
const electronDir = path.resolve('node_modules/electron');
const binaryMarker = path.join(electronDir, 'path.txt');
if (!fs.existsSync(binaryMarker)) {
  console.log('Fetching the Electron runtime (first start only)…');
  if (run(process.execPath, [path.join(electronDir, 'install.js')]) !== 0 || !fs.existsSync(binaryMarker))
    browserMode('The Electron runtime could not be downloaded (this machine may be offline).');
}
const binary = path.join(electronDir, 'dist', fs.readFileSync(binaryMarker, 'utf8').trim());
process.exit(run(binary, ['.', `--workspace=${workspace}`]));
