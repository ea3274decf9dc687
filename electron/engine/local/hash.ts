import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { md5OfFile } from '../transfer/md5.js';

/** Up to this size a file is read in one piece and hashed inline; larger ones are read in parts. */
const WHOLE_FILE_MAX = 256 * 1024;

/**
 * Hex MD5 of a file's contents, never whole in memory unless small. Most files of a large tree
 * are small: one open, one read and one hash each, instead of a stream per file.
 */
export async function md5File(file: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const handle = await open(file, 'r');
  let whole: Buffer | null = null;
  try {
    const { size } = await handle.stat();
    if (size <= WHOLE_FILE_MAX) {
      // One byte more than the size: a file that grew meanwhile is then read in parts instead.
      const buffer = Buffer.allocUnsafe(size + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      if (length <= size) whole = buffer.subarray(0, length);
    }
  } finally {
    await handle.close();
  }
  if (whole !== null) return createHash('md5').update(whole).digest('hex');
  return md5OfFile(file, signal);
}
