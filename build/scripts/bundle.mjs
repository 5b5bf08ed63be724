// Bundles the engine entry points with esbuild into dist/: the CLI and one file per worker, side by side
// (the pool finds its workers next to the bundle). better-sqlite3 stays external: it is a native addon.
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
console.log(`bundled ${Object.keys(entries).join(', ')} into dist/`);
