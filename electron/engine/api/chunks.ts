/**
 * Byte plumbing shared by uploads and downloads: a bandwidth-limited pass over chunks, and a
 * meter that hashes, counts and reports progress as bytes go by.
 */
import { streamingMd5, type StreamingMd5 } from '../transfer/md5.js';
import type { TokenBucket } from '../transfer/throttle.js';
import type { TransferProgress } from './types.js';

export async function* throttled(
  source: AsyncIterable<Buffer>,
  bucket: TokenBucket | undefined,
  signal?: AbortSignal,
): AsyncGenerator<Buffer, void, undefined> {
  for await (const chunk of source) {
    if (bucket === undefined || bucket.rate === 0) {
      yield chunk;
      continue;
    }
    for (let offset = 0; offset < chunk.length;) {
      const size = Math.min(chunk.length - offset, bucket.burst);
      await bucket.take(size, signal);
      yield chunk.subarray(offset, offset + size);
      offset += size;
    }
  }
}

/** Progress callbacks at most this often (plus the final one), so a fast transfer is not chatty. */
const PROGRESS_INTERVAL_MS = 100;

export class ByteMeter {
  private readonly hash: StreamingMd5 | null;
  private lastReport = 0;
  bytes = 0;

  /** With `knownMd5` the bytes are only counted: the caller hashed them already. */
  constructor(
    readonly total: number,
    private readonly onProgress?: (progress: TransferProgress) => void,
    private readonly knownMd5?: string,
  ) {
    this.hash = knownMd5 === undefined ? streamingMd5(total) : null;
  }

  /** Counts and hashes the chunk; a promise when the hash asks the caller to wait before the next. */
  add(chunk: Buffer): Promise<void> | undefined {
    const wait = this.hash?.update(chunk);
    this.bytes += chunk.length;
    const now = Date.now();
    if (now - this.lastReport >= PROGRESS_INTERVAL_MS || this.bytes === this.total) {
      this.lastReport = now;
      this.report();
    }
    return wait;
  }

  report(): void {
    this.onProgress?.({ bytesDone: this.bytes, bytesTotal: this.total });
  }

  /** Back to nothing: a transfer starting over. */
  reset(): void {
    this.hash?.reset();
    this.bytes = 0;
    this.report();
  }

  async md5(): Promise<string> {
    return this.hash === null ? (this.knownMd5 ?? '') : this.hash.digest();
  }

  /** Releases the hash (its worker state); the meter is done. */
  dispose(): void {
    this.hash?.dispose();
  }
}
