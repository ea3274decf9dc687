/**
 * Shared pieces of the Files API client tests: a capturing logger, temp folders, an emulator
 * with the client's test key, and a tiny hand-made server for answers no honest emulator gives.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../../emulator/types.js';
import type { FilesApiClient, FilesApiOptions } from '../../../electron/engine/api/client.js';
import { WsyncError, type ErrorKind } from '../../../electron/engine/errors.js';
import type { Logger } from '../../../electron/engine/logger.js';
import { SyncRig } from '../../support/sync-rig.js';

export const KEY = 'secret-key-4f9a2c';
export const WS = 'ws_client';

export interface CapturedLog {
  lines: string[];
  logger: Logger;
}

/** A logger that keeps every line as JSON text, as a file logger would write it. */
export function captureLogs(): CapturedLog {
  const lines: string[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push(JSON.stringify({ level, ...fields, message }));
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

export async function tempFolder(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'wsync-api-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Fast back-off so retry tests take milliseconds; Retry-After still sets the floor. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

export interface ClientRig {
  emu: Emulator;
  api: FilesApiClient;
  log: CapturedLog;
  dir: string;
  /** Writes a file in the rig's folder and returns its path. */
  file(name: string, bytes: Buffer | string): string;
  client(options?: Partial<FilesApiOptions>): FilesApiClient;
  close(): Promise<void>;
}

/** The API client against the SyncRig's emulator (keys for this client's workspace and one without the files scope). */
export async function startRig(emulator: Partial<EmulatorOptions> = {}, client: Partial<FilesApiOptions> = {}): Promise<ClientRig> {
  const log = captureLogs();
  const rig = await SyncRig.open({
    workspace: WS,
    key: KEY,
    emulator: {
      keys: [
        { key: KEY, scopes: ['files'], workspaces: [WS] },
        { key: 'no-scope-key-77', scopes: ['jobs'], workspaces: '*' },
      ],
      workspaces: [WS],
      ...emulator,
    },
    client: { logger: log.logger, retry: FAST_RETRY, ...client },
  });
  const make = (extra: Partial<FilesApiOptions> = {}): FilesApiClient => rig.api(extra);
  return {
    emu: rig.emu,
    api: make(),
    log,
    dir: rig.base,
    file: (name, bytes) => {
      const path = join(rig.base, name);
      writeFileSync(path, bytes);
      return path;
    },
    client: make,
    close: () => rig.close(),
  };
}

export async function failure(promise: Promise<unknown>): Promise<WsyncError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WsyncError);
    return err as WsyncError;
  }
  throw new Error('expected the call to fail');
}

export async function expectKind(promise: Promise<unknown>, kind: ErrorKind): Promise<WsyncError> {
  const err = await failure(promise);
  expect(err.kind, err.message).toBe(kind);
  return err;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** A loopback server whose every answer the test writes by hand (the body is read first). */
export async function fakeServer(handle: (req: FakeRequest, res: ServerResponse, server: { url: string }) => void): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const self = { url: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const record = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(record);
      handle(record, res, self);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self.url,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body));
}
