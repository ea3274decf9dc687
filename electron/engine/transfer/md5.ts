/**
 * MD5 of a byte stream as it goes by. Hashing runs at a few hundred MB/s, slower than loopback or
 * a fast disk, so for large transfers it moves to a worker thread: the main thread copies each
 * chunk once into one of a fixed pool of shared 1 MB blocks, and keeps reading the network while
 * the worker hashes the block and hands it back. The pool is the only memory this takes, however
 * many transfers run or however fast the bytes come. Small transfers hash inline, where a message
 * round trip would cost more than the hash.
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
/** Blocks shared by every hash in the process: the whole memory the worker path ever uses. */
const POOL_BLOCKS = 12;

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
  dispose(): void {
    // Nothing to release: the hash lives in this process.
  }
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
let blocks = [];
parentPort.on('message', (m) => {
  if (m.op === 'blocks') {
    blocks = m.blocks.map((b) => new Uint8Array(b));
  } else if (m.op === 'update') {
    hashOf(m.id).update(blocks[m.index].subarray(0, m.length));
    parentPort.postMessage({ op: 'ack', index: m.index });
  } else if (m.op === 'digest') {
    parentPort.postMessage({ op: 'digest', id: m.id, seq: m.seq, md5: hashOf(m.id).copy().digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

type WorkerReply = { op: 'ack'; index: number } | { op: 'digest'; id: number; seq: number; md5: string };
type WorkerRequest = { op: 'update'; id: number; index: number; length: number } | { op: 'digest'; id: number; seq: number };

interface Client {
  digested(seq: number, md5: string): void;
  failed(err: Error): void;
}

/**
 * One worker for every large transfer, and one pool of shared blocks it reads from: a block goes
 * back to the pool once the worker has hashed it. The worker keeps the process alive only while
 * a hash uses it.
 */
class HashWorker {
  private worker: Worker | null = null;
  private readonly clients = new Map<number, Client>();
  private nextId = 1;
  private blocks: Uint8Array[] = [];
  private free: number[] = [];
  private waiters: (() => void)[] = [];

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

  /** A free block's index and bytes, or null when all are with the worker or being filled. */
  take(): { index: number; view: Uint8Array } | null {
    this.ensure();
    const index = this.free.pop();
    return index === undefined ? null : { index, view: this.blocks[index] as Uint8Array };
  }

  /** A block filled but never sent goes straight back. */
  give(index: number): void {
    this.free.push(index);
    this.waiters.shift()?.();
  }

  /** Resolves when a block may be free again (take() can still lose the race: ask again). */
  blockFreed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private ensure(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const shared = Array.from({ length: POOL_BLOCKS }, () => new SharedArrayBuffer(BLOCK_BYTES));
    this.blocks = shared.map((b) => new Uint8Array(b));
    this.free = shared.map((_, i) => i);
    worker.postMessage({ op: 'blocks', blocks: shared });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.op === 'ack') {
        if (this.worker === worker) this.give(reply.index);
      } else {
        this.clients.get(reply.id)?.digested(reply.seq, reply.md5);
      }
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      const clients = [...this.clients.values()];
      this.clients.clear();
      for (const client of clients) client.failed(err);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
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
  /** The block being filled, and how far. */
  private current: { index: number; view: Uint8Array } | null = null;
  private filled = 0;
  private failure: Error | null = null;
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
    this.release();
    shared.unregister(this.id);
    this.id = shared.register(this);
  }

  dispose(): void {
    this.release();
    shared.unregister(this.id);
  }

  digested(seq: number, md5: string): void {
    this.digests.get(seq)?.resolve(md5);
    this.digests.delete(seq);
  }

  failed(err: Error): void {
    this.failure = err;
    this.current = null;
    for (const waiter of this.digests.values()) waiter.reject(err);
    this.digests.clear();
  }

  /** Copies `chunk` from `offset` on into blocks; waits for a block to come back when none is free. */
  private copyFrom(chunk: Buffer, offset: number): Promise<void> | undefined {
    let at = offset;
    while (at < chunk.length) {
      if (this.failure !== null) return Promise.reject(this.failure);
      this.current ??= shared.take();
      const block = this.current;
      if (block === null) return shared.blockFreed().then(() => this.copyFrom(chunk, at));
      const n = Math.min(chunk.length - at, BLOCK_BYTES - this.filled);
      block.view.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK_BYTES) this.send();
    }
    return undefined;
  }

  private release(): void {
    if (this.current !== null && this.failure === null) shared.give(this.current.index);
    this.current = null;
    this.filled = 0;
  }

  private send(): void {
    const block = this.current;
    if (block === null || this.filled === 0) return;
    shared.post({ op: 'update', id: this.id, index: block.index, length: this.filled });
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
