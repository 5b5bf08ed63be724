// Bundles the entry points with esbuild into dist/: the CLI and one file per worker, side by side (the pool
// finds its workers next to the bundle), the Electron main process (dist/main/index.js) and its sandboxed
// preload (dist/main/preload.cjs). better-sqlite3 stays external: it is a native addon.
import { build } from 'esbuild';
import fs from 'node:fs';

const entries = {
  cli: 'main/cli.ts',
  'writer.worker': 'workers/writer.worker.ts',
  'reader.worker': 'workers/reader.worker.ts',
  'encode.worker': 'workers/encode.worker.ts',
};
if (fs.existsSync('main/index.ts')) entries['main/index'] = 'main/index.ts';

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outExtension: { '.js': '.js' },
  sourcemap: true,
  external: ['better-sqlite3', 'electron'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The packaged app starts its workers from app.asar.unpacked/dist, outside the root package.json's reach:
// this marker keeps the bundles there ES modules.
fs.writeFileSync('dist/package.json', `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);

const built = Object.keys(entries);
// A sandboxed preload is a classic script that may require only `electron`: CommonJS, browser platform, so
// no Node built-in can sneak in (the build fails instead).
if (fs.existsSync('main/preload.ts')) {
  await build({
    entryPoints: { 'main/preload': 'main/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'browser',
    target: 'chrome130',
    format: 'cjs',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  });
  built.push('main/preload');
}
console.log(`bundled ${built.join(', ')} into dist/`);
