import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Under tsx (tests, the CLI from sources) a worker runs from its .ts entry in `workers/`; in the bundle every
 * worker is a sibling .js file of the bundle that starts it.
 */
function workerUrl(name: string): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? `../${name}.ts` : `./${name}.js`, import.meta.url);
}

/** A tiny ES module that registers tsx's loader in the new thread, then imports the TypeScript entry. */
function tsxBootstrap(entry: URL): URL {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts the worker entry `workers/<name>.ts` (or its bundled `<name>.js`). */
export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const url = workerUrl(name);
  return new Worker(url.pathname.endsWith('.ts') ? tsxBootstrap(url) : url, options);
}
