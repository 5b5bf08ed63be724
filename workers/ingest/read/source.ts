import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { FunnelscopeError } from '../../../shared/errors';

/** Bytes read from disk at a time: fewer, larger reads leave the parser waiting less. */
export const READ_AHEAD = 256 * 1024;
/** Bytes handed to the parser at a time (and the gunzip chunk size): 64 KB keeps parsing cache-friendly. */
export const READ_CHUNK = 64 * 1024;

export type Compression = 'none' | 'gzip';

export function displayName(file: string): string {
  return path.basename(file);
}

/** Maps an fs error (open/read) to the analyst-facing error. */
export function fsError(error: unknown, file: string): FunnelscopeError {
  if (error instanceof FunnelscopeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = displayName(file);
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new FunnelscopeError('FILE_NOT_FOUND', `File not found: ${file}. Check the path and try again.`, {
      path: file,
    });
  if (code === 'EISDIR')
    return new FunnelscopeError(
      'FILE_NOT_FOUND',
      `${file} is a folder, not a file. Choose the exported file itself.`,
      {
        path: file,
      },
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new FunnelscopeError(
      'FILE_NOT_FOUND',
      `${name} cannot be read (permission denied). Copy it somewhere you can read, or fix its permissions.`,
      { path: file },
    );
  const message = error instanceof Error ? error.message : String(error);
  return new FunnelscopeError('INTERNAL', `Could not read ${name}: ${message}`, { path: file });
}

/** Maps a zlib error to FILE_TRUNCATED (stream ends early) or FILE_COMPRESSION (damaged data). */
export function gzipError(error: unknown, file: string): FunnelscopeError {
  if (error instanceof FunnelscopeError) return error;
  const err = error as NodeJS.ErrnoException | undefined;
  const name = displayName(file);
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err?.message ?? ''))
    return new FunnelscopeError(
      'FILE_TRUNCATED',
      `The gzip stream of ${name} ends early — the file is truncated. Download or export it again.`,
      { path: file },
    );
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return new FunnelscopeError(
      'FILE_COMPRESSION',
      `${name} is not valid gzip data (${err.message}). The file is damaged; download or export it again.`,
      { path: file, zlib: err.code },
    );
  return fsError(error, file);
}

export interface ByteSource {
  /** Decompressed chunks, in order; errors are already mapped to FunnelscopeError. */
  chunks(): AsyncGenerator<Buffer>;
  /** Bytes read from the file on disk so far (compressed bytes for gzip). */
  bytesRead(): number;
  close(): void;
}

/** A pull-based (back-pressured) stream of the file's bytes, gunzipped when `compression` is gzip. */
export function openByteSource(file: string, compression: Compression, start = 0): ByteSource {
  const raw = fs.createReadStream(file, { highWaterMark: READ_AHEAD, start });
  let stream: NodeJS.ReadableStream & { destroy(): void } = raw;
  if (compression === 'gzip') {
    const gunzip = zlib.createGunzip({ chunkSize: READ_CHUNK });
    pipeline(raw, gunzip, () => {
      /* errors surface through the iteration of gunzip */
    });
    stream = gunzip;
  }
  const close = () => {
    raw.destroy();
    stream.destroy();
  };
  return {
    async *chunks() {
      try {
        for await (const chunk of stream) {
          const bytes = chunk as Buffer;
          if (bytes.length <= READ_CHUNK) yield bytes;
          else for (let i = 0; i < bytes.length; i += READ_CHUNK) yield bytes.subarray(i, i + READ_CHUNK);
        }
      } catch (error) {
        throw compression === 'gzip' ? gzipError(error, file) : fsError(error, file);
      } finally {
        close();
      }
    },
    bytesRead: () => raw.bytesRead,
    close,
  };
}

/** The first `size` bytes of the (decompressed) file, and whether that is the whole of it. */
export async function readHead(
  file: string,
  compression: Compression,
  size: number,
): Promise<{ head: Buffer; complete: boolean }> {
  const source = openByteSource(file, compression);
  const parts: Buffer[] = [];
  let length = 0;
  let complete = true;
  try {
    for await (const chunk of source.chunks()) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= size) {
        complete = false;
        break;
      }
    }
  } finally {
    source.close();
  }
  const all = Buffer.concat(parts);
  return { head: complete ? all : all.subarray(0, size), complete };
}

/** Raw bytes of the file on disk at [start, start+length). */
export async function readRawBytes(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r').catch((error: unknown) => {
    throw fsError(error, file);
  });
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
