/**
 * How the emulator's etags are made, to play the servers a client meets:
 * - `md5`: the bare MD5 of the bytes (S3 for a single PUT, SSE-S3 or none; the default);
 * - `multipart`: what S3 gives an object uploaded in parts, `<md5 of the parts' binary MD5s>-<parts>`,
 *   for every object larger than `partSize` (tools such as the AWS CLI upload smaller ones in one
 *   PUT, so those keep a plain MD5);
 * - `kms`: what S3 gives an SSE-KMS object: 32 hex digits that are not the MD5 of the bytes, and
 *   storage responses that say `x-amz-server-side-encryption: aws:kms`.
 * Written here from AWS's documented rules, not shared with the client's code that recognises them,
 * so that one misreading cannot hide on both sides.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type EtagStyle = { kind: 'md5' } | { kind: 'multipart'; partSize: number } | { kind: 'kms' };

export const DEFAULT_ETAG_STYLE: EtagStyle = { kind: 'md5' };

/** S3's lower bound for every part but the last. The emulator allows smaller ones so tests stay small. */
export const S3_MIN_PART_SIZE = 5 * 1024 * 1024;

function multipartEtag(partMd5s: Buffer[]): string {
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
}

/** A stable token per object that is no MD5 of its bytes (KMS etags are opaque too). */
function kmsEtag(key: string, md5: string): string {
  return createHash('md5').update(`kms-envelope:${key}:${md5}`).digest('hex');
}

export function etagOfBytes(style: EtagStyle, key: string, bytes: Buffer, md5: string): string {
  if (style.kind === 'kms') return kmsEtag(key, md5);
  if (style.kind === 'md5' || bytes.length <= style.partSize) return md5;
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += style.partSize)
    parts.push(
      createHash('md5')
        .update(bytes.subarray(at, at + style.partSize))
        .digest(),
    );
  return multipartEtag(parts);
}

/** The same for a file on disk, read once in parts when the style needs them. */
export async function etagOfFile(style: EtagStyle, key: string, file: string, size: number, md5: string): Promise<string> {
  if (style.kind === 'kms') return kmsEtag(key, md5);
  if (style.kind === 'md5' || size <= style.partSize) return md5;
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length;) {
      const take = Math.min(style.partSize - inPart, chunk.length - at);
      part.update(chunk.subarray(at, at + take));
      inPart += take;
      at += take;
      if (inPart === style.partSize) {
        parts.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) parts.push(part.digest());
  return multipartEtag(parts);
}

/** Headers storage responses carry for this style (S3 names the encryption of every object it serves). */
export function storageHeaders(style: EtagStyle): Record<string, string> {
  return style.kind === 'kms'
    ? { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:emulator:key/wsync' }
    : {};
}
