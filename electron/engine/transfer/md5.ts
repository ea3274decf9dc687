/**
 * MD5 of a byte stream as it goes by. Hashing runs at a few hundred MB/s, slower than loopback or
 * a fast disk, so for large transfers it moves to a worker thread: the main thread copies each
 * chunk once into one of a few shared 1 MB blocks, and keeps reading the network while the
 * worker hashes the block and hands it back. The blocks are the only buffers: memory stays fixed
 * however fast the bytes come. Small transfers hash inline, where a message round trip would cost
 * more than the hash.
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

export interface StreamingMd5 {
  /** Takes the chunk; a promise when the caller should wait before sending more (back-pressure). */
  update(chunk: Buffer): Promise<void> | undefined;
  /** Hex MD5 of everything since creation or the last reset; the hash can carry on after it. */
  digest(): Promise<string>;
  /** Back to nothing. */
  reset(): void;
  /** Frees the worker's state; the hash must not be used after. */
  dispose(): void;
}

/** From this size on, a transfer's hash runs in the worker. */
export const WORKER_HASH_MIN_BYTES = 4 * 1024 * 1024;
const BLOCK_BYTES = 1024 * 1024;
/** Blocks per hash: one filling while the others wait for (or are in) the worker. */
const BLOCKS = 4;

class InlineMd5 implements StreamingMd5 {
  private hash: Hash = createHash('md5');
  update(chunk: Buffer): undefined {
    this.hash.update(chunk);
    return undefined;
  }
  digest(): Promise<string> {
    return Promise.resolve(this.hash.copy().digest('hex'));
  }
  reset(): void {
    this.hash = createHash('md5');
  }
  dispose(): void {}
}

// Runs as a CommonJS script (eval), so it works the same from sources, a bundle or Electron.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
const hashOf = (id) => {
  let h = hashes.get(id);
  if (h === undefined) { h = createHash('md5'); hashes.set(id, h); }
  return h;
};
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    hashOf(m.id).update(new Uint8Array(m.block, 0, m.length));
    parentPort.postMessage({ op: 'ack', id: m.id, index: m.index });
  } else if (m.op === 'digest') {
    parentPort.postMessage({ op: 'digest', id: m.id, seq: m.seq, md5: hashOf(m.id).copy().digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

type WorkerReply = { op: 'ack'; id: number; index: number } | { op: 'digest'; id: number; seq: number; md5: string };
type WorkerRequest =
  | { op: 'update'; id: number; block: SharedArrayBuffer; index: number; length: number }
  | { op: 'digest'; id: number; seq: number };

interface Client {
  acked(index: number): void;
  digested(seq: number, md5: string): void;
  failed(err: Error): void;
}

/** One worker for every large transfer; it keeps the process alive only while a hash uses it. */
class HashWorker {
  private worker: Worker | null = null;
  private readonly clients = new Map<number, Client>();
  private nextId = 1;

  register(client: Client): number {
    const id = this.nextId++;
    this.clients.set(id, client);
    this.ensure().ref();
    return id;
  }

  unregister(id: number): void {
    if (!this.clients.delete(id)) return;
    this.worker?.postMessage({ op: 'drop', id });
    if (this.clients.size === 0) this.worker?.unref();
  }

  post(message: WorkerRequest): void {
    this.ensure().postMessage(message);
  }

  private ensure(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (reply: WorkerReply) => {
      const client = this.clients.get(reply.id);
      if (reply.op === 'ack') client?.acked(reply.index);
      else client?.digested(reply.seq, reply.md5);
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      const clients = [...this.clients.values()];
      this.clients.clear();
      for (const client of clients) client.failed(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the hashing worker stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

const shared = new HashWorker();

class WorkerMd5 implements StreamingMd5, Client {
  private id: number;
  private readonly blocks: SharedArrayBuffer[] = [];
  private readonly free: number[] = [];
  /** The block being filled, and how far. */
  private current: { index: number; view: Uint8Array } | null = null;
  private filled = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private seq = 0;
  private readonly digests = new Map<number, { resolve: (md5: string) => void; reject: (err: Error) => void }>();

  constructor() {
    this.id = shared.register(this);
  }

  update(chunk: Buffer): Promise<void> | undefined {
    return this.copyFrom(chunk, 0);
  }

  digest(): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.send();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.digests.set(seq, { resolve, reject });
      shared.post({ op: 'digest', id: this.id, seq });
    });
  }

  reset(): void {
    shared.unregister(this.id);
    // Blocks still in the worker for the old hash are never acknowledged: start from fresh ones.
    this.blocks.length = 0;
    this.free.length = 0;
    this.current = null;
    this.filled = 0;
    this.wake();
    this.id = shared.register(this);
  }

  dispose(): void {
    shared.unregister(this.id);
    this.current = null;
    this.wake();
  }

  acked(index: number): void {
    if (index < this.blocks.length) this.free.push(index);
    this.wake();
  }

  digested(seq: number, md5: string): void {
    this.digests.get(seq)?.resolve(md5);
    this.digests.delete(seq);
  }

  failed(err: Error): void {
    this.failure = err;
    for (const waiter of this.digests.values()) waiter.reject(err);
    this.digests.clear();
    this.wake();
  }

  /** Copies `chunk` from `offset` on into blocks; waits for a block to come back when none is free. */
  private copyFrom(chunk: Buffer, offset: number): Promise<void> | undefined {
    let at = offset;
    while (at < chunk.length) {
      if (this.failure !== null) return Promise.reject(this.failure);
      const block = this.current ?? this.take();
      if (block === null) {
        return new Promise<void>((resolve) => {
          this.waiting = resolve;
        }).then(() => this.copyFrom(chunk, at));
      }
      const n = Math.min(chunk.length - at, BLOCK_BYTES - this.filled);
      block.view.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK_BYTES) this.send();
    }
    return undefined;
  }

  private take(): { index: number; view: Uint8Array } | null {
    let index = this.free.pop();
    if (index === undefined && this.blocks.length < BLOCKS) {
      index = this.blocks.length;
      this.blocks.push(new SharedArrayBuffer(BLOCK_BYTES));
    }
    if (index === undefined) return null;
    this.current = { index, view: new Uint8Array(this.blocks[index] as SharedArrayBuffer) };
    this.filled = 0;
    return this.current;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  private send(): void {
    const block = this.current;
    if (block === null || this.filled === 0) return;
    shared.post({ op: 'update', id: this.id, block: this.blocks[block.index] as SharedArrayBuffer, index: block.index, length: this.filled });
    this.current = null;
    this.filled = 0;
  }
}

/** A hash for a transfer of `size` bytes: in the worker when that is large, inline otherwise. */
export function streamingMd5(size: number): StreamingMd5 {
  return size >= WORKER_HASH_MIN_BYTES ? new WorkerMd5() : new InlineMd5();
}

/** Bytes read at a time when hashing a file. */
const FILE_READ_BYTES = 1024 * 1024;

/**
 * Hex MD5 of a file, read in large pieces; a large file is hashed in the worker while the next
 * piece is read, so reading and hashing overlap.
 */
export async function md5OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = streamingMd5(size);
    try {
      const buffers = [Buffer.allocUnsafe(FILE_READ_BYTES), Buffer.allocUnsafe(FILE_READ_BYTES)];
      let turn = 0;
      for (;;) {
        if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
        const buffer = buffers[turn] as Buffer;
        turn = 1 - turn;
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        // update() copies into its own block (or hashes inline) before returning: the buffer is free again.
        const wait = hash.update(buffer.subarray(0, bytesRead));
        if (wait !== undefined) await wait;
      }
      return await hash.digest();
    } finally {
      hash.dispose();
    }
  } finally {
    await handle.close();
  }
}
