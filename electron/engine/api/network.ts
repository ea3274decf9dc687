/**
 * The networks people have: a proxy, and certificates their organisation installed. One process-
 * wide setting, because a proxy and a trust store belong to the machine, not to a folder:
 * - proxy: which proxy serves a URL. The CLI follows HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the
 *   proxy-agent default, proxy-from-env); the desktop app's engine asks the main process, which
 *   asks Electron's `session.resolveProxy` (system settings, PAC files). proxy-agent keeps one
 *   keep-alive agent per proxy.
 * - trust: the bundled roots, plus the OS store, plus the file NODE_EXTRA_CA_CERTS names. The app
 *   reads that file itself, because the Electron fuse that turns NODE_OPTIONS off also makes Node
 *   ignore NODE_EXTRA_CA_CERTS.
 */
import { readFileSync } from 'node:fs';
import http, { type Agent } from 'node:http';
import https, { type Agent as HttpsAgent } from 'node:https';
import tls from 'node:tls';
import { ProxyAgent } from 'proxy-agent';

/** The proxy URL for a request (http://, https://, socks5://...), or '' to connect directly. */
export type ProxyResolver = (url: string) => string | Promise<string>;

export interface NetworkSettings {
  /** Default: the *_PROXY and NO_PROXY environment variables, read at each connection. */
  proxyFor?: ProxyResolver;
  /** Where SSL_CERT_FILE and NODE_EXTRA_CA_CERTS are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Chromium's answer ("PROXY host:port; DIRECT", "HTTPS host:port", "SOCKS5 host:port", "DIRECT")
 * as a proxy URL: its first entry, '' for DIRECT or anything not understood.
 */
export function pacResultToProxyUrl(result: string): string {
  const first = result.split(';')[0]?.trim() ?? '';
  const match = /^(PROXY|HTTPS|SOCKS5|SOCKS4|SOCKS)\s+(\S+)$/i.exec(first);
  if (!match) return '';
  const scheme = { PROXY: 'http', HTTPS: 'https', SOCKS5: 'socks5', SOCKS4: 'socks4', SOCKS: 'socks4' }[(match[1] as string).toUpperCase()];
  return `${scheme}://${match[2] as string}`;
}

/** Bundle files where Linux distributions and macOS keep the OS store, for Node without tls.getCACertificates. */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemsIn(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').match(PEM) ?? [];
  } catch {
    return [];
  }
}

type GetCaCertificates = (type: 'default' | 'system' | 'bundled' | 'extra') => string[];

function systemCertificates(env: NodeJS.ProcessEnv): string[] {
  // Node 22.15+ and 24 read the OS store themselves (Keychain, the Windows store, OpenSSL's paths).
  const getCACertificates = (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates;
  if (getCACertificates) return getCACertificates('system');
  if (process.platform === 'win32') return [];
  for (const file of [env.SSL_CERT_FILE, ...SYSTEM_BUNDLES]) {
    const pems = pemsIn(file);
    if (pems.length > 0) return pems;
  }
  return [];
}

export interface Trust {
  /** Every certificate trusted, PEM, without repeats. */
  ca: string[];
  /** Where they came from: 'bundled', 'system', 'NODE_EXTRA_CA_CERTS'. */
  sources: string[];
}

export function trustedCertificates(env: NodeJS.ProcessEnv = process.env): Trust {
  const sources: string[] = ['bundled'];
  const all = new Set(tls.rootCertificates.map((pem) => pem.trim()));
  const add = (source: string, pems: string[]): void => {
    if (pems.length === 0) return;
    sources.push(source);
    for (const pem of pems) all.add(pem.trim());
  };
  add('system', systemCertificates(env));
  add('NODE_EXTRA_CA_CERTS', pemsIn(env.NODE_EXTRA_CA_CERTS));
  return { ca: [...all], sources };
}

/** The agents of one pool size: one per scheme (see proxyAgent). */
interface Agents {
  http: Agent;
  https: HttpsAgent;
}

interface Network {
  /** Per keep-alive pool size: clients of one size share their sockets. */
  agents: Map<number, Agents>;
  trust: Trust;
}

let network: Network | null = null;
let settings: NetworkSettings = {};

/** Sets how this process reaches the network; clients made afterwards use it. */
export function configureNetwork(next: NetworkSettings): void {
  for (const agents of network?.agents.values() ?? []) {
    agents.http.destroy();
    agents.https.destroy();
  }
  network = null;
  settings = next;
}

function current(): Network {
  if (network) return network;
  network = { agents: new Map(), trust: trustedCertificates(settings.env ?? process.env) };
  return network;
}

/** Keep-alive connections per host when the client names none. */
export const DEFAULT_SOCKETS_PER_HOST = 32;

/**
 * One agent per scheme, its `protocol` set: an agent-base agent that serves both schemes guesses
 * the scheme of each request from `new Error().stack` (a stack trace per request, and under
 * --enable-source-maps a source-mapped one: ~5% of the CPU of a run of 4 KB files). The agents
 * it hands direct connections to are keep-alive pools of `maxSockets` per host, idle ones kept up
 * to the same number, so a pool of transfers reuses its connections. The limit sits on those
 * inner agents only: the outer one queues nothing it could later release (its sockets are theirs).
 */
function proxyAgent(protocol: 'http:' | 'https:', maxSockets: number): ProxyAgent {
  const proxyFor = settings.proxyFor;
  const pool = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  const agent = new ProxyAgent({
    keepAlive: true,
    ...(protocol === 'http:' ? { httpAgent: new http.Agent(pool) } : { httpsAgent: new https.Agent(pool) }),
    ...(proxyFor ? { getProxyForUrl: (url: string) => proxyFor(url) } : {}),
  });
  agent.protocol = protocol;
  return agent;
}

/**
 * What got needs: the proxying agents and the trusted certificates. `socketsPerHost` sizes the
 * keep-alive pool (the transfers a client runs at once, and its listings beside them).
 */
export function gotNetworkOptions(socketsPerHost = DEFAULT_SOCKETS_PER_HOST): { agent: Agents; https: { certificateAuthority: string[] } } {
  const { agents, trust } = current();
  let sized = agents.get(socketsPerHost);
  if (sized === undefined) {
    // got types its https agent apart; proxy-agent's serves TLS itself.
    sized = { http: proxyAgent('http:', socketsPerHost), https: proxyAgent('https:', socketsPerHost) as unknown as HttpsAgent };
    agents.set(socketsPerHost, sized);
  }
  return { agent: sized, https: { certificateAuthority: trust.ca } };
}

export function trustSources(): string[] {
  return current().trust.sources;
}
