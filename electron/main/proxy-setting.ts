/**
 * The proxy setting (Settings → Network) as the engine process asks for proxies: the answer of
 * Electron's `session.resolveProxy` ("PROXY host:port; DIRECT"), which the engine turns into its
 * agent's proxy. "Use the system's" asks the session, "No proxy" is DIRECT, a typed-in proxy is
 * given in the same form. The engine caches answers per origin for a minute.
 */
import type { ProxySetting } from '../shared/ipc.js';

const PAC_KEYWORD: Record<string, string> = { http: 'PROXY', https: 'HTTPS', socks5: 'SOCKS5', socks4: 'SOCKS4', socks: 'SOCKS' };

/** A typed-in proxy address in PAC form ("PROXY host:port"), or DIRECT when it cannot be read. */
export function pacForm(url: string): string {
  const match = /^([a-z0-9]+):\/\/([^/@\s]+)\/?$/i.exec(url.trim());
  const keyword = match ? PAC_KEYWORD[(match[1] as string).toLowerCase()] : undefined;
  return match && keyword ? `${keyword} ${match[2] as string}` : 'DIRECT';
}

export function resolveProxyWith(setting: ProxySetting, system: (url: string) => Promise<string>): (url: string) => Promise<string> {
  return async (url) => {
    switch (setting.mode) {
      case 'system':
        return system(url);
      case 'none':
        return 'DIRECT';
      case 'manual':
        return pacForm(setting.url);
    }
  };
}
