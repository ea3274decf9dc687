/**
 * Proxies and private certificates, for real: a TLS server on loopback whose certificate a private
 * CA signed (made with openssl), reached by the engine's own HTTP clients directly or through a
 * real HTTP proxy (the `proxy` package) on loopback, with the proxy chosen from HTTPS_PROXY /
 * NO_PROXY as the CLI does, or by a resolver answering as Electron's session.resolveProxy does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClients, DEFAULT_TIMEOUTS } from '../../../electron/engine/api/http.js';
import { configureNetwork, pacResultToProxyUrl, trustedCertificates, trustSources } from '../../../electron/engine/api/network.js';
import { createProxyCache } from '../../../electron/engine-process/proxy-cache.js';

let dir: string;
let caFile: string;
let server: HttpsServer;
let plain: HttpServer;
let proxy: HttpServer;
let target: string;
let plainTarget: string;
let proxyUrl: string;
/** What the proxy was asked: CONNECT host:port, or the absolute URL of a plain request. */
const traversed: string[] = [];
const served: string[] = [];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

const listen = (s: HttpServer | HttpsServer): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsync-network-'));
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=wsync test private CA',
  ]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  caFile = join(dir, 'ca.pem');

  const answer = (req: { url?: string }, res: { writeHead(s: number, h: Record<string, string>): { end(b: string): void } }) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  server = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, answer);
  plain = createHttpServer(answer);
  proxy = createProxy(createHttpServer());
  proxy.on('connect', (req: { url?: string }) => traversed.push(`CONNECT ${req.url ?? ''}`));
  proxy.on('request', (req: { url?: string }) => traversed.push(req.url ?? ''));
  target = `https://127.0.0.1:${await listen(server)}`;
  plainTarget = `http://127.0.0.1:${await listen(plain)}`;
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterEach(() => {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- an environment variable is removed by delete (assigning undefined sets 'undefined')
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE']) delete process.env[name];
  configureNetwork({});
  traversed.length = 0;
  served.length = 0;
});

afterAll(async () => {
  configureNetwork({});
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([server, plain, proxy].map((s) => new Promise((r) => s?.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string): Promise<string> => {
  const { api } = createHttpClients({ apiKey: 'sk-test', timeouts: DEFAULT_TIMEOUTS });
  return (await api.get(url)).body;
};

describe('certificates', () => {
  it('a server signed by a private CA is refused until that CA is trusted', async () => {
    configureNetwork({});
    await expect(get(`${target}/v1/files`)).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/) as unknown,
    });
  });

  it('trusts the file NODE_EXTRA_CA_CERTS names, read by wsync itself (the Electron fuse makes Node ignore it)', async () => {
    configureNetwork({ env: { NODE_EXTRA_CA_CERTS: caFile } });
    expect(await get(`${target}/v1/files`)).toBe('{"ok":true}');
    expect(trustSources()).toContain('NODE_EXTRA_CA_CERTS');
    expect(served).toEqual(['/v1/files']);
  });

  it('keeps the bundled roots and adds the OS store', () => {
    const trust = trustedCertificates({});
    expect(trust.ca.length).toBeGreaterThanOrEqual(tls.rootCertificates.length);
    expect(trust.sources[0]).toBe('bundled');
  });

  it.runIf(!('getCACertificates' in tls))(
    'without tls.getCACertificates (Node 20), reads the OS store from SSL_CERT_FILE or the usual bundle files',
    async () => {
      expect(trustedCertificates({ SSL_CERT_FILE: caFile }).ca).toContain(readFileSync(caFile, 'utf8').trim());
      configureNetwork({ env: { SSL_CERT_FILE: caFile } });
      expect(await get(`${target}/v1/files`)).toBe('{"ok":true}');
    },
  );
});

describe('proxies from the environment (the CLI)', () => {
  it('HTTPS_PROXY: a TLS request goes through the proxy as CONNECT, and the private CA still verifies the server', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    configureNetwork({ env: { NODE_EXTRA_CA_CERTS: caFile } });
    expect(await get(`${target}/v1/files?workspace_id=ws`)).toBe('{"ok":true}');
    expect(traversed).toEqual([`CONNECT ${new URL(target).host}`]);
    expect(served).toEqual(['/v1/files?workspace_id=ws']);
  });

  it('HTTP_PROXY: a plain request goes through the proxy too', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    configureNetwork({});
    expect(await get(`${plainTarget}/v1/files`)).toBe('{"ok":true}');
    expect(traversed).toEqual([`${plainTarget}/v1/files`]);
  });

  it('NO_PROXY: a listed host is reached directly', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = '127.0.0.1';
    configureNetwork({ env: { NODE_EXTRA_CA_CERTS: caFile } });
    expect(await get(`${target}/a`)).toBe('{"ok":true}');
    expect(await get(`${plainTarget}/b`)).toBe('{"ok":true}');
    expect(traversed).toEqual([]);
    expect(served).toEqual(['/a', '/b']);
  });

  it('a proxy that is down fails the request with the connection error (no silent direct route)', async () => {
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    configureNetwork({ env: { NODE_EXTRA_CA_CERTS: caFile } });
    await expect(get(`${target}/v1/files`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(served).toEqual([]);
  });
});

describe('proxies the desktop app is told (Electron resolveProxy answers)', () => {
  it.each([
    ['DIRECT', ''],
    ['PROXY proxy.lab.example:3128; DIRECT', 'http://proxy.lab.example:3128'],
    ['HTTPS secure-proxy.example:443', 'https://secure-proxy.example:443'],
    ['SOCKS5 127.0.0.1:1080', 'socks5://127.0.0.1:1080'],
    ['SOCKS 127.0.0.1:1080', 'socks4://127.0.0.1:1080'],
    ['', ''],
    ['nonsense', ''],
  ])('%j is %j', (answer, url) => {
    expect(pacResultToProxyUrl(answer)).toBe(url);
  });

  it('requests go where the resolver says, asked once per origin', async () => {
    const asked: string[] = [];
    const cache = createProxyCache(async (url) => {
      asked.push(url);
      return pacResultToProxyUrl(url.startsWith('https:') ? `PROXY ${new URL(proxyUrl).host}; DIRECT` : 'DIRECT');
    });
    configureNetwork({ proxyFor: (url) => cache.proxyFor(url), env: { NODE_EXTRA_CA_CERTS: caFile } });
    await get(`${target}/one`);
    await get(`${target}/two`);
    await get(`${plainTarget}/three`);
    expect(traversed).toEqual([`CONNECT ${new URL(target).host}`]);
    expect(served).toEqual(['/one', '/two', '/three']);
    expect(asked.map((u) => new URL(u).origin)).toEqual([target, plainTarget]);
  });
});
