/**
 * The temporary file a download lands in: named so the scanner ignores it (`*.wsync-tmp`),
 * appended to in order, then fsynced and renamed over the destination in one step. Whatever goes
 * wrong, it is removed: nothing partial is ever left at the destination or beside it.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TEMP_SUFFIX } from '../local/ignore.js';

/** Room left for the random part and suffix within a 255-byte file name. */
const MAX_BASE_CHARS = 100;

export function tempPathFor(destination: string, tempDir?: string): string {
  const base = basename(destination).slice(0, MAX_BASE_CHARS);
  return join(tempDir ?? dirname(destination), `.${base}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class TempFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle | null,
  ) {}

  /** Bytes written so far, in order from the start. */
  position = 0;

  static async create(destination: string, tempDir?: string): Promise<TempFile> {
    const path = tempPathFor(destination, tempDir);
    await mkdir(dirname(path), { recursive: true });
    return new TempFile(path, await open(path, 'wx'));
  }

  async append(chunk: Buffer): Promise<void> {
    const handle = this.openHandle();
    let written = 0;
    while (written < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, this.position + written);
      written += bytesWritten;
    }
    this.position += chunk.length;
  }

  async truncate(): Promise<void> {
    await this.openHandle().truncate(0);
    this.position = 0;
  }

  /** fsync, close, rename over `destination`, fsync the folder. */
  async commit(destination: string): Promise<void> {
    const handle = this.openHandle();
    await handle.sync();
    await handle.close();
    this.handle = null;
    await mkdir(dirname(destination), { recursive: true });
    try {
      await rename(this.path, destination);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EXDEV') throw err;
      // tempDir on another volume: copy beside the destination first, so the last step is a rename.
      const beside = tempPathFor(destination);
      try {
        await copyFile(this.path, beside);
        const copy = await open(beside, 'r+');
        await copy.sync();
        await copy.close();
        await rename(beside, destination);
      } catch (copyErr) {
        await unlink(beside).catch(() => undefined);
        throw copyErr;
      }
      await unlink(this.path).catch(() => undefined);
    }
    await fsyncDirectory(dirname(destination)).catch(() => undefined);
  }

  /** Closes and removes the file; never throws (it runs on the way out of a failure). */
  async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  private openHandle(): FileHandle {
    if (this.handle === null) throw new Error('temporary file already closed');
    return this.handle;
  }
}
