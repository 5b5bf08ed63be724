import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The local Chromium: FUNNELSCOPE_CHROMIUM, else a usual install path; null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.FUNNELSCOPE_CHROMIUM;
  if (configured) return fs.existsSync(configured) ? configured : null;
  return CANDIDATES.find((c) => fs.existsSync(c)) ?? null;
}

export function noChromiumError(env: NodeJS.ProcessEnv = process.env): FunnelscopeError {
  const configured = env.FUNNELSCOPE_CHROMIUM;
  return new FunnelscopeError(
    'BAD_ARGUMENT',
    (configured
      ? `FUNNELSCOPE_CHROMIUM points to ${configured}, which does not exist. `
      : 'No Chromium found. ') +
      'PDF reports are printed by a local Chromium: install one (e.g. "sudo apt install chromium", or Google Chrome) ' +
      'or set FUNNELSCOPE_CHROMIUM to its executable. HTML, CSV and JSON reports need none.',
    { format: 'pdf' },
  );
}

/**
 * Prints the report's HTML to PDF with headless Chromium, offline: the page is a local file whose CSP
 * blocks every fetch, and the header/footer (which would print the temporary file's path) is off.
 */
export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const chromium = findChromium(env);
  if (!chromium) throw noChromiumError(env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnelscope-pdf-'));
  try {
    const page = path.join(dir, 'report.html');
    const out = path.join(dir, 'report.pdf');
    fs.writeFileSync(page, html, { mode: 0o600 });
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      '--no-first-run',
      '--disable-extensions',
      '--disable-background-networking',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      `file://${page}`,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(chromium, args, { timeout: 120_000 }, (error, _stdout, stderr) => {
        if (error && !fs.existsSync(out))
          reject(
            new FunnelscopeError(
              'INTERNAL',
              `Chromium could not print the report: ${String(stderr).trim().split('\n').pop() ?? error.message}`,
            ),
          );
        else resolve();
      });
    });
    if (!fs.existsSync(out)) throw new FunnelscopeError('INTERNAL', 'Chromium printed no PDF.');
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
