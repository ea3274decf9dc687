import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Hex MD5 of a file's contents, streamed (never whole in memory). */
export async function md5File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash, signal === undefined ? {} : { signal });
  return hash.digest('hex');
}
