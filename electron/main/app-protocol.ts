/**
 * Serves the built renderer from `wsync://app/` (a privileged custom scheme) instead of file://,
 * with a strict Content-Security-Policy on every response. The e2e harness serves the same files
 * through the same function, so the tests run the renderer under the same policy.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'wsync';
export const APP_HOST = 'app';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface AppAsset {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

/** The file for a URL path under `root`: "/" is index.html; anything escaping root is a 404. */
export async function loadAppAsset(root: string, pathname: string): Promise<AppAsset> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '\0';
  }
  const relativePath = normalize(decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, ''));
  const notFound: AppAsset = { status: 404, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' }, body: Buffer.from('Not found') };
  if (decoded.includes('\0') || relativePath.startsWith(`..${sep}`) || relativePath === '..' || !(extname(relativePath) in MIME)) return notFound;
  try {
    const body = await readFile(join(root, relativePath));
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': MIME[extname(relativePath)] ?? 'application/octet-stream' }, body };
  } catch {
    return notFound;
  }
}
