/**
 * A cancel flag shared between threads: the worker reads it between batches with no message round trip,
 * so a long synchronous stretch of work still sees a cancel promptly.
 */
export class CancelToken {
  readonly buffer: SharedArrayBuffer;
  private readonly flag: Int32Array;

  constructor(buffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.flag = new Int32Array(buffer);
  }

  cancel(): void {
    Atomics.store(this.flag, 0, 1);
  }

  get cancelled(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }
}

export function cancelCheck(buffer: SharedArrayBuffer): () => boolean {
  const flag = new Int32Array(buffer);
  return () => Atomics.load(flag, 0) === 1;
}
