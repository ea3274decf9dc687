/**
 * The server URL a folder syncs with, checked once where it enters (CLI flags, the desktop app's
 * folder form, a stored setting at start-up). Every request carries the API key, so plain HTTP is
 * refused unless the server is on this machine (loopback) or the user explicitly allowed it.
 * Shared (no Node module, no DOM): the CLI, the engine process and the desktop app's form and main
 * process apply the one rule.
 */

/** WHATWG URL: a global in Node, Electron and the renderer alike; shared code is compiled without their types. */
interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly host: string;
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}
declare const URL: new (input: string) => ParsedUrl;

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

/**
 * Loopback by address (127.0.0.0/8, ::1, IPv4-mapped 127.x) or the name `localhost`, for a host as
 * WHATWG URL writes it (IPv4 in dotted decimal, `127.1` already `127.0.0.1`; IPv6 in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.startsWith('127.');
  if (host.startsWith('[') && host.endsWith(']')) {
    const v6 = host.slice(1, -1);
    // An IPv4-mapped 127.x.y.z is written ::ffff:7fxx:yyzz.
    return v6 === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(v6);
  }
  return false;
}

export function checkServerUrl(raw: string, options: ServerUrlOptions = {}): ServerUrlCheck {
  const invalid = (why: string): ServerUrlCheck => ({ ok: false, problem: 'invalid', message: `the server URL ${JSON.stringify(raw)} ${why}` });
  let url: ParsedUrl;
  try {
    url = new URL(raw.trim());
  } catch {
    return invalid('is not a URL; expected one like https://files.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return invalid('must start with https:// (or http:// for a server on this machine)');
  if (url.username !== '' || url.password !== '') {
    // Not echoed: the message would print the password it refuses.
    return {
      ok: false,
      problem: 'invalid',
      message: `the server URL for ${url.host} must not carry a user name or password; the API key is given separately`,
    };
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
