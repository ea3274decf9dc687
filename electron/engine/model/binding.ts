/**
 * A folder's binding: the server, workspace and prefix its base was synced with (invariant 8).
 * A base recorded under one binding says nothing about another: against a second server, every
 * file it names would read as deleted remotely.
 */
export interface Binding {
  /** Normalised (normalizeServer): two spellings of one server are one binding. */
  server: string;
  workspace: string;
  /** Normalised: '' or a folder ending in '/'. */
  prefix: string;
}

/**
 * The server URL as the binding records it: scheme and host in lower case, no default port, no
 * credentials, query or fragment, no trailing '/'. A path is kept (two APIs under one origin are two
 * servers). Null when `url` is no absolute URL.
 */
export function normalizeServer(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

export function sameBinding(a: Binding, b: Binding): boolean {
  return a.server === b.server && a.workspace === b.workspace && a.prefix === b.prefix;
}

/** `ws_demo (prefix results/) on https://files.example.com`, for messages. */
export function describeBinding(b: Binding): string {
  return `${b.workspace}${b.prefix === '' ? '' : ` (prefix ${b.prefix})`} on ${b.server}`;
}
