import { describe, expect, it } from 'vitest';
import { pacForm, resolveProxyWith } from '../../electron/main/proxy-setting.js';
import { pacResultToProxyUrl } from '../../electron/engine/api/network.js';

describe('the proxy setting, as the engine asks for proxies', () => {
  it.each([
    ['http://proxy.lab.example:3128', 'PROXY proxy.lab.example:3128', 'http://proxy.lab.example:3128'],
    ['https://proxy.lab.example:8443/', 'HTTPS proxy.lab.example:8443', 'https://proxy.lab.example:8443'],
    ['socks5://127.0.0.1:1080', 'SOCKS5 127.0.0.1:1080', 'socks5://127.0.0.1:1080'],
    ['ftp://nope:21', 'DIRECT', ''],
  ])('%s is "%s", which the engine reads back as %s', (url, pac, back) => {
    expect(pacForm(url)).toBe(pac);
    expect(pacResultToProxyUrl(pac)).toBe(back);
  });

  it('"system" asks the session, "none" is direct, a typed-in proxy is used as typed', async () => {
    const system = async (url: string) => `PROXY from-system:8080 (for ${url})`;
    expect(await resolveProxyWith({ mode: 'system' }, system)('https://files.example.com')).toBe(
      'PROXY from-system:8080 (for https://files.example.com)',
    );
    expect(await resolveProxyWith({ mode: 'none' }, system)('https://files.example.com')).toBe('DIRECT');
    expect(await resolveProxyWith({ mode: 'manual', url: 'http://p:3128' }, system)('https://files.example.com')).toBe('PROXY p:3128');
  });
});
