/**
 * S3 multipart etags of a local file, for several part sizes in one read: each candidate part size
 * keeps its own running part hash, so trying eight sizes costs eight MD5 passes over the bytes but
 * one read from disk.
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

const READ_BYTES = 1024 * 1024;

interface Cutter {
  partSize: number;
  part: Hash;
  inPart: number;
  digests: Buffer[];
}

function feed(cutter: Cutter, chunk: Buffer): void {
  for (let at = 0; at < chunk.length;) {
    const take = Math.min(cutter.partSize - cutter.inPart, chunk.length - at);
    cutter.part.update(chunk.subarray(at, at + take));
    cutter.inPart += take;
    at += take;
    if (cutter.inPart === cutter.partSize) {
      cutter.digests.push(cutter.part.digest());
      cutter.part = createHash('md5');
      cutter.inPart = 0;
    }
  }
}

/** `<md5 of the parts' binary MD5s>-<parts>` for each part size, in the order given. */
export async function multipartEtagsOfFile(file: string, partSizes: readonly number[], signal?: AbortSignal): Promise<string[]> {
  const cutters: Cutter[] = partSizes.map((partSize) => ({ partSize, part: createHash('md5'), inPart: 0, digests: [] }));
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      for (const cutter of cutters) feed(cutter, chunk);
    }
  } finally {
    await handle.close();
  }
  return cutters.map((c) => {
    // An empty file is one empty part, as S3 counts it.
    if (c.inPart > 0 || c.digests.length === 0) c.digests.push(c.part.digest());
    return `${createHash('md5').update(Buffer.concat(c.digests)).digest('hex')}-${c.digests.length}`;
  });
}
