// Renders build/icon.svg to build/icon.png (1024 × 1024, transparent corners) in the local Chromium.
// electron-builder makes the macOS .icns, the Windows .ico and the Linux sizes from that PNG.
// Usage: node build/scripts/render-icon.mjs (after editing the SVG).
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.env.FUNNELSCOPE_CHROMIUM ?? '/usr/bin/chromium',
});
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(`<body style="margin:0">${fs.readFileSync('build/icon.svg', 'utf8')}</body>`);
  await page.locator('svg').screenshot({ path: 'build/icon.png', omitBackground: true });
} finally {
  await browser.close();
}
