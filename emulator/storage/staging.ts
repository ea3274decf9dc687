import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes written to a temp file, with their size and MD5 taken while they streamed past. */
export interface StagedBlob {
  tempPath: string;
  size: number;
  md5: string;
}

/** Streams `source` to a temp file under `tmpDir`, hashing as it goes; never holds the body. */
export async function stageStream(source: Readable, tmpDir: string): Promise<StagedBlob> {
  const tempPath = join(tmpDir, `upload-${randomBytes(8).toString('hex')}`);
  const hash = createHash('md5');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tempPath));
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return { tempPath, size, md5: hash.digest('hex') };
}

export async function discardStaged(staged: StagedBlob): Promise<void> {
  await rm(staged.tempPath, { force: true });
}
