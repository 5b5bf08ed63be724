import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApi } from '../../../main/api';
import type { FunnelscopeApi } from '../../../shared/api';
import { EnginePool } from '../../../workers/pool/pool';
import { contentSecurityPolicy } from './csp';
import { dispatch } from './dispatch';
import { resolvePathArguments } from './paths';
import { API_PATH } from './protocol';
import { keyFileSecrets } from './secrets';
import { serveStatic, type StaticSite } from './static';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_RENDERER_DIR = path.resolve(here, '../../../dist/renderer');
const LOOPBACK = '127.0.0.1';

export interface HostOptions {
  /** Where typed relative paths (and the one-click demo) land. */
  workspaceDir: string;
  /** 0 (default): any free port. */
  port?: number;
  rendererDir?: string;
  /** Lets a test put something between the page and the engine (a slow or failing method). */
  wrapApi?: (api: FunnelscopeApi) => FunnelscopeApi;
}

export interface Host {
  /** The page to open, with the per-run token in its fragment. */
  url: string;
  origin: string;
  token: string;
  workspaceDir: string;
  api: FunnelscopeApi;
  close(): Promise<void>;
}

async function bundleClient(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Typed arrays (the engine's large numeric results) cross as plain arrays, as the contract types them. */
function toJson(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView)
      ? Array.from(value as unknown as number[])
      : value,
  );
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves the built renderer on 127.0.0.1 and the contract (`main/api.ts` over a worker pool) on a WebSocket
 * of the same origin. A connection must carry this run's random token and come from the page's own origin;
 * requests for any other Host name are refused (a DNS-rebinding page cannot reach the API).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new Error(
      `No built renderer in ${rendererDir}. Build it first: npx vite build --config renderer/vite.config.ts`,
    );
  fs.mkdirSync(options.workspaceDir, { recursive: true });
  const workspaceDir = path.resolve(options.workspaceDir);
  const token = crypto.randomBytes(24).toString('base64url');
  const pool = new EnginePool();
  const engine = createApi({ pool, secrets: keyFileSecrets });
  const api = options.wrapApi ? options.wrapApi(engine) : engine;
  const opened = new Set<string>();
  const site: StaticSite = { rendererDir, clientScript: await bundleClient(), headers: {} };

  // Set once listening: the only Host header and Origin the host answers.
  let hostName = '';
  let origin = '';
  const server = http.createServer((req, res) => {
    if (req.headers.host !== hostName) {
      res.writeHead(421, { 'Content-Type': 'text/plain' });
      return res.end(`Open ${origin}/ instead.`);
    }
    serveStatic(site, req, res);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== API_PATH) return refuse(socket, '404 Not Found');
    if (req.headers.host !== hostName || req.headers.origin !== origin)
      return refuse(socket, '403 Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(socket, '401 Unauthorized');
    sockets.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    ws.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      void dispatch(
        api,
        message,
        (reply) => ws.readyState === ws.OPEN && ws.send(toJson(reply)),
        (call, args) => {
          const resolved = resolvePathArguments(call.method, args, workspaceDir);
          if (call.method !== 'ingest.preview' && typeof resolved[0] === 'string') opened.add(resolved[0]);
          return resolved;
        },
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostName = `${LOOPBACK}:${port}`;
  origin = `http://${hostName}`;
  site.headers = {
    'Content-Security-Policy': contentSecurityPolicy(`ws://${LOOPBACK}:${port}`),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    workspaceDir,
    api,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Checkpoint each workspace's WAL before the workers stop.
      for (const workspace of opened) await api.workspace.close(workspace).catch(() => undefined);
      await pool.close();
    },
  };
}
