import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** RFC 3986 escaping, as SigV4 canonical query strings want it. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export type SigV4Verdict = 'not-presigned' | 'valid' | 'invalid';

/**
 * Checks a SigV4 query-presigned request the way S3 does: canonical request from the method,
 * the raw path, the sorted query without the signature, the signed headers as received, and
 * UNSIGNED-PAYLOAD. Written from the AWS specification, independently of the SDK that signs.
 */
export function verifyPresignedV4(req: IncomingMessage, secretAccessKey: string): SigV4Verdict {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  if (q < 0) return 'not-presigned';
  const path = raw.slice(0, q);
  const pairs = raw
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p): [string, string] => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      return [decodeURIComponent(k), decodeURIComponent(v)];
    });
  const params = new Map(pairs);
  if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'not-presigned';
  const signature = params.get('X-Amz-Signature') ?? '';
  const credential = params.get('X-Amz-Credential') ?? '';
  const amzDate = params.get('X-Amz-Date') ?? '';
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').split(';');

  const canonicalQuery = pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [escape(k), escape(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    req.method ?? 'GET',
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    params.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');

  const [, date = '', region = '', service = '', terminator = ''] = credential.split('/');
  const scope = [date, region, service, terminator].join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), terminator);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}
