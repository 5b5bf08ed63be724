import path from 'node:path';

export interface AppPaths {
  /** The renderer built by Vite, served under app://funnelscope/. */
  renderer: string;
  /** The sandboxed preload bundle (CommonJS). */
  preload: string;
  /** The bundled `*.worker.js` files, outside the asar archive. */
  workers: string;
}

/**
 * A path inside `app.asar` as its unpacked copy. Worker threads are started from real files: Node's loader in
 * a worker does not read asar archives reliably, and better-sqlite3's native addon must be a real file too,
 * so electron-builder unpacks the workers and their native dependency (electron-builder.yml).
 */
export function unpackedPath(file: string): string {
  return file.replace(/\.asar([\\/]|$)/, '.asar.unpacked$1');
}

/** Where the bundle's parts are, from `app.getAppPath()` (the repo root in development, app.asar packaged). */
export function appPaths(appPath: string): AppPaths {
  const dist = path.join(appPath, 'dist');
  return {
    renderer: path.join(dist, 'renderer'),
    preload: path.join(dist, 'main', 'preload.cjs'),
    workers: unpackedPath(dist),
  };
}
