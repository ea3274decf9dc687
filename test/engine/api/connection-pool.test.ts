/**
 * The keep-alive pool of the engine's HTTP clients, against a real server on loopback: at most
 * `socketsPerHost` connections to a host however many requests wait, and those connections are
 * reused rather than opened per request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClients, DEFAULT_TIMEOUTS } from '../../../electron/engine/api/http.js';
import { configureNetwork } from '../../../electron/engine/api/network.js';

let server: Server;
let url: string;
const sockets = new Set<Socket>();
let open = 0;
let mostOpen = 0;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    // Answered a little later, so that requests pile up behind the pool's limit.
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, 20);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    open++;
    mostOpen = Math.max(mostOpen, open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  configureNetwork({});
  await new Promise((resolve) => server.close(resolve));
});

describe('keep-alive pool', () => {
  it('opens at most socketsPerHost connections to a host and reuses them for the requests that waited', async () => {
    configureNetwork({});
    sockets.clear();
    mostOpen = 0;
    mostInFlight = 0;
    const { api, storage } = createHttpClients({ apiKey: 'sk-test', timeouts: DEFAULT_TIMEOUTS, socketsPerHost: 3 });
    // Both doors share the limit when they reach the same host (the emulator serves both).
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? api : storage).get(url)));
    expect(mostInFlight).toBe(3);
    expect(mostOpen).toBe(3);
    expect(sockets.size).toBe(3);

    // Later requests find the idle connections kept alive.
    await Promise.all(Array.from({ length: 3 }, () => api.get(url)));
    expect(sockets.size).toBe(3);
  });

  it('names the scheme of each agent, so no request builds a stack trace to guess it', () => {
    configureNetwork({});
    const { api } = createHttpClients({ apiKey: 'sk-test', timeouts: DEFAULT_TIMEOUTS, socketsPerHost: 4 });
    const agents = api.defaults.options.agent;
    expect((agents.http as { protocol?: string } | undefined)?.protocol).toBe('http:');
    expect((agents.https as { protocol?: string } | undefined)?.protocol).toBe('https:');
  });
});
