import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_PATH } from './protocol';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticSite {
  rendererDir: string;
  clientScript: string;
  headers: Record<string, string>;
}

/** index.html with the host's client script first in <head>, so `window.funnelscope` exists before the app runs. */
function indexHtml(rendererDir: string): string {
  const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  return html.replace(/<head>/i, `<head>\n    <script src="${CLIENT_PATH}"></script>`);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Serves the built renderer read-only; nothing outside `rendererDir` can be reached. */
export function serveStatic(site: StaticSite, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'text/plain', 'Method not allowed', site.headers);
  const url = new URL(req.url ?? '/', 'http://host');
  if (url.pathname === CLIENT_PATH) return send(res, 200, TYPES['.js']!, site.clientScript, site.headers);
  if (url.pathname === '/' || url.pathname === '/index.html')
    return send(res, 200, TYPES['.html']!, indexHtml(site.rendererDir), site.headers);
  const file = path.resolve(site.rendererDir, `.${decodeURIComponent(url.pathname)}`);
  const inside = file.startsWith(path.resolve(site.rendererDir) + path.sep);
  if (!inside || !fs.existsSync(file) || !fs.statSync(file).isFile())
    return send(res, 404, 'text/plain', 'Not found', site.headers);
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  send(res, 200, type, fs.readFileSync(file), site.headers);
}
