import { FunnelscopeError } from '../../../shared/errors';
import { displayName } from './source';

/**
 * Strict UTF-8 decoding of a chunked byte stream: every byte of the file is checked, and the first invalid byte is
 * reported with its offset. A multi-byte character split across chunks is carried over to the next chunk by hand,
 * because TextDecoder's own `stream: true` mode is several times slower in Node 20 than one-shot decoding.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Buffer | null = null;
  /** Offset in the (decompressed) stream of the first byte not yet decoded (the carry's start). */
  private offset = 0;
  private first = true;

  constructor(
    private readonly file: string,
    private readonly compressed: boolean,
  ) {}

  /**
   * Decodes the next chunk. `prefix` is already-checked text handed back as bytes (the unparsed tail of the previous
   * chunk); it is decoded again in front of the chunk but does not count towards the stream offset.
   */
  decode(chunk: Buffer, prefix: Buffer | null = null): string {
    let bytes = chunk;
    const skip = prefix ? prefix.length : 0;
    if (prefix || this.carry) {
      const parts: Buffer[] = [];
      if (prefix) parts.push(prefix);
      if (this.carry) parts.push(this.carry);
      parts.push(chunk);
      bytes = Buffer.concat(parts);
      this.carry = null;
    }
    const cut = completeLength(bytes);
    const text = this.decodeRange(bytes, cut, skip);
    if (cut < bytes.length) this.carry = Buffer.from(bytes.subarray(cut));
    this.offset += cut - skip;
    return text;
  }

  /** Call after the last chunk: a character cut off by the end of the file is an encoding error. */
  end(): string {
    if (this.carry && this.carry.length > 0) throw this.encodingError(this.offset, this.carry[0] ?? 0, true);
    return '';
  }

  private decodeRange(bytes: Buffer, end: number, skip: number): string {
    if (end === 0) return '';
    let text: string;
    try {
      text = this.decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end));
    } catch {
      const at = firstInvalidUtf8(bytes, skip, end);
      throw this.encodingError(this.offset + at - skip, bytes[at] ?? 0, false);
    }
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  private encodingError(offset: number, byte: number, atEnd: boolean): FunnelscopeError {
    const name = displayName(this.file);
    const where = this.compressed ? `at offset ${offset} of the decompressed data` : `at offset ${offset}`;
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const what = atEnd
      ? `the file ends in the middle of a character (byte ${hex} ${where})`
      : `the byte ${hex} ${where} is not part of a UTF-8 character`;
    const latin = !atEnd && byte >= 0x80 ? ' The file is probably Latin-1 or Windows-1252.' : '';
    return new FunnelscopeError(
      'FILE_ENCODING',
      `${name} is not valid UTF-8: ${what}.${latin} Re-export it as UTF-8 (e.g. "CSV UTF-8" in Excel) and import it again.`,
      { path: this.file, offset, byte },
    );
  }
}

/** Length of `bytes` without a trailing, incomplete multi-byte sequence (0–3 bytes are held back). */
export function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i] as number;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return n - i < need ? i : n;
    }
    // continuation byte: keep looking for the lead byte
  }
  return n;
}

/** Index of the first byte in [start, end) that breaks UTF-8 (end if none; used only to report an error). */
export function firstInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= end) return i; // a sequence cut off by the end of the range
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return end;
}
