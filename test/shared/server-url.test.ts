import { describe, expect, it } from 'vitest';
import { checkServerUrl, isLoopbackHost } from '../../electron/shared/server-url.js';

describe('checkServerUrl: the API key never crosses a network in plain HTTP unless allowed', () => {
  it.each([
    ['https://files.example.com', 'https://files.example.com', 'https://files.example.com'],
    ['https://files.example.com/', 'https://files.example.com', 'https://files.example.com'],
    ['https://Files.Example.com:443/api//', 'https://files.example.com/api', 'https://files.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000', 'http://[::1]:9000'],
    ['http://127.8.9.10', 'http://127.8.9.10', 'http://127.8.9.10'],
  ])('accepts %s', (raw, url, origin) => {
    expect(checkServerUrl(raw)).toEqual({ ok: true, url, origin });
  });

  it.each([
    'http://files.example.com',
    'http://192.168.1.20:8080',
    'http://10.0.0.1',
    'http://[fe80::1]',
    'http://localhost.example.com',
    'http://0.0.0.0:80',
  ])('refuses plain HTTP to %s unless explicitly allowed', (raw) => {
    const check = checkServerUrl(raw);
    expect(check).toMatchObject({ ok: false, problem: 'insecure-http' });
    if (!check.ok) expect(check.message).toMatch(/plain HTTP.*unencrypted/);
    expect(checkServerUrl(raw, { allowInsecureHttp: true }).ok).toBe(true);
  });

  it.each([
    ['files.example.com', 'is not a URL'],
    ['ftp://files.example.com', 'must start with https://'],
    ['file:///etc/passwd', 'must start with https://'],
    ['https://user:secret@files.example.com', 'user name or password'],
    ['https://files.example.com/?key=abc', 'query'],
    ['https://files.example.com/#x', 'fragment'],
  ])('refuses %s as invalid (%s)', (raw, why) => {
    const check = checkServerUrl(raw, { allowInsecureHttp: true });
    expect(check).toMatchObject({ ok: false, problem: 'invalid' });
    if (!check.ok) expect(check.message).toContain(why);
  });

  it('does not print back a password it refuses', () => {
    const check = checkServerUrl('https://u:hunter2@h.example');
    expect(check).toMatchObject({ ok: false, problem: 'invalid' });
    if (!check.ok) expect(check.message).not.toContain('hunter2');
  });

  it('recognises loopback hosts, including IPv4-mapped IPv6 as URL writes it', () => {
    expect(isLoopbackHost('[::ffff:7f00:1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('[::2]')).toBe(false);
  });
});
