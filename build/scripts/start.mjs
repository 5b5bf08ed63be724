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
}
run(process.execPath, ['dist/cli.js', 'info', '--workspace', workspace]);

if (!fs.existsSync('dist/main/index.js')) {
  console.log(
    '\nThe desktop window is not built yet (README, "State of the project"): the workspace above is ready for the CLI,\n' +
      `e.g. npm run cli -- info --workspace ${workspace}`,
  );
  process.exit(0);
}

// Electron's binary is fetched on first start, not at npm install (which must work offline).
const electronDir = path.resolve('node_modules/electron');
const binaryMarker = path.join(electronDir, 'path.txt');
if (!fs.existsSync(binaryMarker)) {
  console.log('Fetching the Electron runtime (first start only)…');
  if (run(process.execPath, [path.join(electronDir, 'install.js')]) !== 0 || !fs.existsSync(binaryMarker)) {
    console.error(
      'The Electron runtime could not be downloaded (this machine may be offline). The workspace is ready for the CLI:\n' +
        `  npm run cli -- info --workspace ${workspace}`,
    );
    process.exit(1);
  }
}
const binary = path.join(electronDir, 'dist', fs.readFileSync(binaryMarker, 'utf8').trim());
process.exit(run(binary, ['.', `--workspace=${workspace}`]));
