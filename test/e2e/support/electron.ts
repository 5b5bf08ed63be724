import fs from 'node:fs';
import path from 'node:path';

/**
 * The Electron binary, when this machine has one: $FUNNELSCOPE_ELECTRON, else the one the `electron` package
 * downloads on first start (node_modules/electron/path.txt names it). Null when there is none — its download
 * needs the internet, which the tests do not.
 */
export function electronBinary(): string | null {
  const fromEnv = process.env.FUNNELSCOPE_ELECTRON;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  const dir = path.resolve('node_modules/electron');
  const marker = path.join(dir, 'path.txt');
  if (!fs.existsSync(marker)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(marker, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** Why the real app cannot be started here, or null when it can. */
export function electronUnavailable(): string | null {
  if (!electronBinary())
    return (
      'no Electron binary on this machine (node_modules/electron/dist is fetched by `npm start` on first run, or set ' +
      'FUNNELSCOPE_ELECTRON); the renderer was tested in Chromium through the e2e host instead'
    );
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'an Electron binary is present but there is no display (run under xvfb-run to include this test)';
  return null;
}
