/**
 * The two HTTP doors of the client. `api` carries the Bearer key and never follows a redirect
 * (which could carry the key elsewhere). `storage` opens presigned URLs: no key, ever. Neither
 * retries: every request is retried by the client's one retry loop (retry-loop.ts), which also
 * resumes downloads rather than restarting them.
 */
import got, { type Got } from 'got';
import { gotNetworkOptions } from './network.js';

export interface Timeouts {
  /** Time to open the TCP (and TLS) connection. */
  connectMs: number;
  /** Longest silence on an open socket, in either direction, before the request is abandoned. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, idleMs: 60_000 };

const USER_AGENT = 'wsync';

export interface HttpSettings {
  apiKey: string;
  timeouts: Timeouts;
  /** Keep-alive connections per host (network.ts; default DEFAULT_SOCKETS_PER_HOST). */
  socketsPerHost?: number;
}

export interface HttpClients {
  api: Got;
  storage: Got;
}

export function createHttpClients(settings: HttpSettings): HttpClients {
  const { timeouts } = settings;
  const timeout = { connect: timeouts.connectMs, socket: timeouts.idleMs };
  // The machine's proxy and trusted certificates (network.ts), for both doors.
  const network = gotNetworkOptions(settings.socketsPerHost);

  const api = got.extend({
    ...network,
    headers: { authorization: `Bearer ${settings.apiKey}`, 'user-agent': USER_AGENT },
    timeout,
    followRedirect: false,
    responseType: 'text',
    // Retries are the client's own (retry-loop.ts), one layer for every request.
    retry: { limit: 0 },
  });

  const storage = got.extend({
    ...network,
    headers: { 'user-agent': USER_AGENT },
    timeout,
    retry: { limit: 0 },
    hooks: {
      beforeRequest: [
        (options) => {
          // Belt and braces: whatever merged into these options, the key stays off storage URLs.
          delete options.headers.authorization;
        },
      ],
    },
  });

  return { api, storage };
}
