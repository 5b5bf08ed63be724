import fs from 'node:fs';

const DEVICES = ['desktop', 'mobile', 'tablet'];
const OSES = ['Windows', 'macOS', 'iOS', 'Android', 'Linux'];
const BROWSERS = ['Chrome', 'Safari', 'Firefox', 'Edge'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU', 'ES', 'IT', 'SE'];
const SOURCES = ['google', 'facebook', 'instagram', 'email', 'direct', 'tiktok'];
const FUNNEL = ['page_view', 'view_item', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase'];

/**
 * A clickstream export in the flat shape with PII columns (user id, e-mail, IP, session id), written as a
 * stream so files of any size can be made. Events come in sessions of 1–12 events, as in real exports;
 * users return across sessions. Deterministic: a fixed linear congruential generator.
 */
export async function writeClickstream(file: string, rows: number): Promise<number> {
  let state = 12345;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = (chunk: string) =>
    out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(
    'event_time,event_name,user_id,session_id,email,ip,device,os,browser,country,utm_source,product_id,price\n',
  );
  const start = Date.UTC(2026, 9, 1);
  const users = Math.max(1000, Math.round(rows / 20));
  let lines: string[] = [];
  let written = 0;
  let session = 0;
  while (written < rows) {
    session++;
    const user = next(users);
    const shared = `u${user},s${session},user${user}@example.com,10.${next(256)}.${next(256)}.${next(256)},${DEVICES[next(3)]},${OSES[next(5)]},${BROWSERS[next(4)]},${COUNTRIES[next(10)]},${SOURCES[next(6)]}`;
    const length = Math.min(rows - written, 1 + next(12));
    const sessionStart = start + Math.floor((written / rows) * 28 * 86_400_000);
    for (let e = 0; e < length; e++) {
      const t = new Date(sessionStart + e * 20_000).toISOString();
      lines.push(
        `${t},${FUNNEL[Math.min(e, next(FUNNEL.length))]},${shared},sku-${next(5000)},${(next(20000) / 100).toFixed(2)}`,
      );
    }
    written += length;
    if (lines.length >= 10_000) {
      await write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) await write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return fs.statSync(file).size;
}
