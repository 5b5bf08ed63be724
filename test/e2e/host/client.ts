/**
 * Runs in the page, served only by the e2e host (bundled by esbuild when the host starts). Defines
 * `window.funnelscope` — the same contract the Electron preload exposes — over the host's loopback WebSocket,
 * so the renderer does not know which transport it runs on.
 */
import { API_METHODS, JOB_METHODS, type ApiMethodPath } from '../../../shared/api-methods';
import { fromErrorShape, type ErrorShape } from '../../../shared/errors';
import { API_PATH, type CallMessage, type HostMessage } from './protocol';

// The root tsconfig has no DOM lib (this file is type-checked with the Node code), so the few browser
// objects used here are described by hand.
interface BrowserSocket {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
interface BrowserWindow {
  WebSocket: new (url: string) => BrowserSocket;
  location: { host: string; hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  funnelscope?: unknown;
}

const browser = globalThis as unknown as BrowserWindow;
const OPEN = 1;
const TOKEN_KEY = 'funnelscope-host-token';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onProgress?: (progress: unknown) => void;
}

/** The token arrives once in the URL fragment; it is kept for reloads and removed from the address. */
function takeToken(): string {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(browser.location.hash);
  if (match?.[1]) {
    browser.sessionStorage.setItem(TOKEN_KEY, match[1]);
    browser.history.replaceState(null, '', browser.location.pathname + browser.location.search);
    return match[1];
  }
  return browser.sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = takeToken();
const pending = new Map<number, Pending>();
let nextId = 1;
let socket: BrowserSocket | null = null;
let queue: string[] = [];

function lost(message: string): ErrorShape {
  return { code: 'INTERNAL', message };
}

function connect(): BrowserSocket {
  const ws = new browser.WebSocket(`ws://${browser.location.host}${API_PATH}?token=${token}`);
  ws.addEventListener('open', () => {
    for (const data of queue) ws.send(data);
    queue = [];
  });
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as HostMessage;
    const call = pending.get(message.id);
    if (!call) return;
    if (message.type === 'progress') return call.onProgress?.(message.progress);
    pending.delete(message.id);
    if (message.type === 'result') call.resolve(message.value);
    else call.reject(fromErrorShape(message.error));
  });
  ws.addEventListener('close', () => {
    socket = null;
    queue = [];
    const error = fromErrorShape(
      lost('The connection to the Funnelscope host closed. Restart the host and reload the page.'),
    );
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });
  return ws;
}

function send(message: CallMessage): void {
  const data = JSON.stringify(message);
  socket ??= connect();
  if (socket.readyState === OPEN) socket.send(data);
  else queue.push(data);
}

/** A job method's last argument, when it is `JobOptions` rather than the method's own options. */
function jobOptions(args: unknown[]): { onProgress?: (p: unknown) => void; jobId?: string } | undefined {
  const last = args[args.length - 1];
  if (!last || typeof last !== 'object') return undefined;
  return 'onProgress' in last || 'jobId' in last ? (last as { jobId?: string }) : undefined;
}

function call(method: ApiMethodPath, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const message: CallMessage = { type: 'call', id, method, args };
    const entry: Pending = { resolve, reject };
    const job = JOB_METHODS.includes(method) ? jobOptions(args) : undefined;
    if (job) {
      const index = args.length - 1;
      message.args = args.slice(0, index);
      message.job = { index, progress: typeof job.onProgress === 'function' };
      if (job.jobId !== undefined) message.job.jobId = job.jobId;
      if (job.onProgress) entry.onProgress = job.onProgress;
    }
    pending.set(id, entry);
    send(message);
  });
}

const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
for (const method of API_METHODS) {
  const [group, name] = method.split('.') as [string, string];
  api[group] ??= {};
  api[group][name] = (...args) => call(method, args);
}
for (const group of Object.values(api)) Object.freeze(group);
Object.defineProperty(browser, 'funnelscope', { value: Object.freeze(api), enumerable: true });
