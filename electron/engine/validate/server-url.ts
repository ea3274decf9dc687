/**
 * The server URL a folder syncs with, checked once where it enters (CLI flags, the desktop app's
 * folder form, a stored setting at start-up). Every request carries the API key, so plain HTTP is
 * refused unless the server is on this machine (loopback) or the user explicitly allowed it.
 */
import { isIP } from 'node:net';

export type ServerUrlCheck =
  | {
      ok: true;
      /** What the client is given: origin plus any path, without a trailing '/'. */
      url: string;
      /** `protocol://host[:port]`, lower-case, default port dropped: what a binding records. */
      origin: string;
    }
  | {
      ok: false;
      /** 'insecure-http': the caller adds how to allow it (a flag, a checkbox). */
      problem: 'invalid' | 'insecure-http';
      message: string;
    };

export interface ServerUrlOptions {
  /** The user allowed plain HTTP to a server that is not on loopback. */
  allowInsecureHttp?: boolean;
}

/** Loopback by address (127.0.0.0/8, ::1, IPv4-mapped 127.x) or the name `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host.toLowerCase() === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    const lower = host.toLowerCase();
    // WHATWG URL writes an IPv4-mapped 127.x.y.z as ::ffff:7fxx:yyzz.
    return lower === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(lower);
  }
  return false;
}

export function checkServerUrl(raw: string, options: ServerUrlOptions = {}): ServerUrlCheck {
  const invalid = (why: string): ServerUrlCheck => ({ ok: false, problem: 'invalid', message: `the server URL ${JSON.stringify(raw)} ${why}` });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return invalid('is not a URL; expected one like https://files.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return invalid('must start with https:// (or http:// for a server on this machine)');
  if (url.username !== '' || url.password !== '') {
    // Not echoed: the message would print the password it refuses.
    return { ok: false, problem: 'invalid', message: `the server URL for ${url.host} must not carry a user name or password; the API key is given separately` };
  }
  if (url.search !== '' || url.hash !== '') return invalid('must not have a query (?...) or fragment (#...)');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
    return {
      ok: false,
      problem: 'insecure-http',
      message: `the server ${url.origin} uses plain HTTP, so the API key and every file would cross the network unencrypted; use https://`,
    };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, origin: url.origin };
}
