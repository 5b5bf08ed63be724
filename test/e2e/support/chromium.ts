import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];
const INSTALL =
  'Install one (Debian/Ubuntu: sudo apt-get install -y chromium) or point FUNNELSCOPE_CHROMIUM at a Chromium or ' +
  'Chrome binary.';

/**
 * The Chromium that drives the e2e tests: $FUNNELSCOPE_CHROMIUM, else Debian's. Without one the tests fail
 * loudly — a skipped security test would read as a passed one.
 */
export function chromiumPath(): string {
  const fromEnv = process.env.FUNNELSCOPE_CHROMIUM;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv))
      throw new Error(`FUNNELSCOPE_CHROMIUM is set to ${fromEnv}, which does not exist. ${INSTALL}`);
    return fromEnv;
  }
  const found = CANDIDATES.find((candidate) => fs.existsSync(candidate));
  if (found) return found;
  throw new Error(
    `No Chromium found for the end-to-end tests (looked in ${CANDIDATES.join(', ')}). ${INSTALL}`,
  );
}
