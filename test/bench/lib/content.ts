/**
 * Deterministic file trees: the bench writes a tree locally and the emulator seeds the same tree
 * remotely, so both sides agree byte for byte without sending anything between them.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface TreeSpec {
  count: number;
  folders: number;
  size: number;
  /** Folder the tree lives under ('' or ending in '/'). */
  prefix?: string;
}

const BLOCK = (() => {
  const block = Buffer.alloc(64 * 1024);
  let seed = createHash('sha256').update('wsync-bench').digest();
  for (let at = 0; at < block.length; at += seed.length) {
    seed.copy(block, at);
    seed = createHash('sha256').update(seed).digest();
  }
  return block;
})();

export function treePath(spec: TreeSpec, index: number): string {
  const folder = String(index % spec.folders).padStart(3, '0');
  return `${spec.prefix ?? ''}d${folder}/f${String(index).padStart(6, '0')}.bin`;
}

/** The bytes of file `index`: a shared pseudo-random block, stamped with the index so every file differs. */
export function fileBytes(index: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += BLOCK.length) BLOCK.copy(bytes, at, 0, Math.min(BLOCK.length, size - at));
  bytes.write(`#${index}#`.slice(0, size), 0, 'latin1');
  return bytes;
}

export function* treeFiles(spec: TreeSpec): Generator<{ index: number; path: string }> {
  for (let index = 0; index < spec.count; index++) yield { index, path: treePath(spec, index) };
}

/** Runs `work` over items with at most `limit` in flight. */
export async function pool<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

export async function writeTree(root: string, spec: TreeSpec): Promise<void> {
  const made = new Map<string, Promise<unknown>>();
  await pool(treeFiles(spec), 32, async ({ index, path }) => {
    const abs = join(root, path);
    const dir = dirname(abs);
    let ready = made.get(dir);
    if (ready === undefined) {
      ready = mkdir(dir, { recursive: true });
      made.set(dir, ready);
    }
    await ready;
    await writeFile(abs, fileBytes(index, spec.size));
  });
}
