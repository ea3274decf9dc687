/**
 * What of a URL may appear in a log line or an error message: never the query string, which on
 * a presigned URL carries the signature, nor credentials embedded in the authority.
 */
import { redactText } from '../log/redact.js';

export function urlForLog(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    const text = String(url);
    const cut = text.search(/[?#]/);
    return cut === -1 ? text : text.slice(0, cut);
  }
}

/** Text from elsewhere (a server's error message) scrubbed of URLs' query strings and the key. */
export function scrubText(text: string, secrets: readonly string[]): string {
  return redactText(text, secrets);
}
