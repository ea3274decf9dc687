/**
 * Etags arrive quoted or bare (and, from some proxies, weak). Only a plain 32-hex-digit etag can be
 * an MD5 of the bytes, and even that one is not when the object is encrypted with SSE-KMS or SSE-C
 * (S3 says so in its storage responses): equal to the bytes' MD5 it proves them, unequal it proves
 * nothing on its own. Multipart S3 etags (`<md5 of part MD5s>-<parts>`) can be recomputed from
 * the bytes for the right part size; opaque tokens only tell versions apart.
 */

export function normalizeEtag(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  let etag = raw.trim();
  if (etag.startsWith('W/')) etag = etag.slice(2);
  if (etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"')) etag = etag.slice(1, -1);
  return etag === '' ? undefined : etag;
}

const PLAIN_MD5 = /^[0-9a-f]{32}$/i;

export function isPlainMd5Etag(etag: string | null | undefined): etag is string {
  return typeof etag === 'string' && PLAIN_MD5.test(etag);
}

/** The MD5 (lower-case hex) an etag carries, or undefined when it is no plain MD5. */
export function md5OfEtag(etag: string | null | undefined): string | undefined {
  const normal = normalizeEtag(etag);
  return isPlainMd5Etag(normal) ? normal.toLowerCase() : undefined;
}

/** True when the etag is a plain MD5 that differs from `md5Hex`; false when it matches or says nothing. */
export function contradictsMd5(etag: string | null | undefined, md5Hex: string): boolean {
  const md5 = md5OfEtag(etag);
  return md5 !== undefined && md5 !== md5Hex.toLowerCase();
}

const MULTIPART = /^([0-9a-f]{32})-([1-9][0-9]{0,4})$/i;

/** S3's etag for an object uploaded in parts: `<md5 of the parts' binary MD5s>-<parts>`. */
export function multipartEtag(etag: string | null | undefined): { digest: string; parts: number } | undefined {
  const match = MULTIPART.exec(normalizeEtag(etag) ?? '');
  return match === null ? undefined : { digest: (match[1] as string).toLowerCase(), parts: Number(match[2]) };
}

/** What a storage response says about how the object is encrypted at rest (S3's headers). */
export interface StorageEncryption {
  /** `x-amz-server-side-encryption`: AES256, aws:kms, aws:kms:dsse. */
  serverSide?: string | undefined;
  /** `x-amz-server-side-encryption-customer-algorithm`: present for SSE-C. */
  customerAlgorithm?: string | undefined;
}

/**
 * Whether the storage's etag for this object is no MD5 of its bytes, whatever it looks like. S3
 * documents that objects encrypted with SSE-KMS or SSE-C carry etags that are not (SSE-S3 and
 * unencrypted objects put in one request do).
 */
export function encryptionHidesMd5(encryption: StorageEncryption): boolean {
  const serverSide = encryption.serverSide?.trim().toLowerCase() ?? '';
  return serverSide.startsWith('aws:kms') || (encryption.customerAlgorithm ?? '').trim() !== '';
}

const MiB = 1024 * 1024;
/** The part sizes upload tools use by default: AWS CLI and SDKs 8 MiB, lib-storage and rclone 5 MiB, s3cmd 15 MiB, and round sizes. */
const COMMON_PART_SIZES = [8, 5, 16, 15, 10, 25, 32, 50, 64, 100, 128, 256, 512, 1024].map((n) => n * MiB);
/** Candidates tried at most: each one is another MD5 pass over the local file (in the same read). */
const MAX_CANDIDATES = 8;

/**
 * Part sizes that cut `size` bytes into exactly `parts` parts (all the same size but the last), the
 * likeliest first: tools' defaults, then the smallest power of two, the smallest whole MiB and the
 * exact even split that fit. One part fits any size at least `size` (the etag is then the MD5 of
 * the MD5). An empty list: no part size gives that count (a different size, or not S3's rule).
 */
export function candidatePartSizes(size: number, parts: number): number[] {
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isInteger(parts) || parts < 1) return [];
  if (parts === 1) return [Math.max(size, 1)];
  if (size < parts) return [];
  // ceil(size / p) === parts  ⇔  size / parts ≤ p < size / (parts - 1)
  const low = Math.ceil(size / parts);
  const fits = (p: number): boolean => p >= low && (parts - 1) * p < size;
  let pow2 = 1;
  while (pow2 < low) pow2 *= 2;
  const found = [...COMMON_PART_SIZES, pow2, Math.ceil(low / MiB) * MiB, low].filter(fits);
  return [...new Set(found)].slice(0, MAX_CANDIDATES);
}
