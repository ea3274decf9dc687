/**
 * Which proxy serves a URL, remembered per origin for a minute: every new connection asks, and
 * the answer comes from another process.
 */
export interface ProxyCache {
  proxyFor(url: string): Promise<string>;
}

export function createProxyCache(resolve: (url: string) => Promise<string>, ttlMs = 60_000, now: () => number = Date.now): ProxyCache {
  const known = new Map<string, { proxy: Promise<string>; at: number }>();
  return {
    proxyFor(url) {
      const origin = new URL(url).origin;
      const hit = known.get(origin);
      if (hit && now() - hit.at < ttlMs) return hit.proxy;
      const proxy = resolve(url);
      known.set(origin, { proxy, at: now() });
      proxy.catch(() => known.delete(origin));
      return proxy;
    },
  };
}
