/**
 * Etags arrive quoted or bare (and, from some proxies, weak). Only a plain 32-hex-digit etag is
 * an MD5 of the bytes; multipart S3 etags (`<md5>-<parts>`) and opaque tokens are not.
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
