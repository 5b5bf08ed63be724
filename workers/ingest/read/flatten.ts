/**
 * JSON and Parquet records become flat objects keyed by dot path (`context.device.type`). Arrays are kept as JSON
 * strings; BigInt becomes a number when it is safe, else a string; Date becomes epoch milliseconds.
 */
export function flattenRecord(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  flattenInto(out, '', value);
  return out;
}

/** Like flattenRecord, but returns the record itself when it is already flat (saves an object per row). */
export function normaliseRecord(value: Record<string, unknown>): Record<string, unknown> {
  for (const key in value) {
    const v = value[key];
    if ((v !== null && typeof v === 'object') || typeof v === 'bigint') return flattenRecord(value);
  }
  return value;
}

function flattenInto(out: Record<string, unknown>, prefix: string, value: Record<string, unknown>): void {
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) set(out, path, JSON.stringify(v, jsonReplacer));
      else if (v instanceof Date) set(out, path, dateValue(v));
      else if (ArrayBuffer.isView(v)) set(out, path, bytesValue(v));
      else flattenInto(out, path, v as Record<string, unknown>);
    } else if (typeof v === 'bigint') set(out, path, bigintValue(v));
    else set(out, path, v);
  }
}

function set(out: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON.parse is an ordinary own key; plain assignment would change the prototype instead.
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

export function bigintValue(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

function dateValue(v: Date): number | null {
  const ms = v.getTime();
  return Number.isNaN(ms) ? null : ms;
}

function bytesValue(v: ArrayBufferView): string {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return JSON.stringify(Array.from(v as unknown as ArrayLike<number>), jsonReplacer);
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return bigintValue(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return v;
}
