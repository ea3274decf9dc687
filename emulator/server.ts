import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorDeps, RouteHandler } from './context.js';
import { ApiError, sendError } from './http.js';
import type { HandledHook, RequestHook, RequestRecorder } from './recorder.js';
import { handleDelete } from './routes/delete.js';
import { handleDownloadUrl } from './routes/download.js';
import { handleUploadConfirm, handleUploadUrl } from './routes/large-upload.js';
import { handleList } from './routes/list.js';
import { STORAGE_PREFIX, storageHandlers } from './routes/storage.js';
import { handleUpload } from './routes/upload.js';
import { DiskBlobStore } from './storage/disk.js';
import type { RequestKind } from './types.js';

interface Route {
  kind: RequestKind;
  /** API calls get the injected failures; storage URLs do not. */
  api: boolean;
  handler: RouteHandler;
}

const API_ROUTES: Record<string, Partial<Record<string, Route>>> = {
  '/v1/files': {
    GET: { kind: 'list', api: true, handler: handleList },
    DELETE: { kind: 'delete', api: true, handler: handleDelete },
  },
  '/v1/files/upload': { POST: { kind: 'upload', api: true, handler: handleUpload } },
  '/v1/files/download': { GET: { kind: 'download-url', api: true, handler: handleDownloadUrl } },
  '/v1/files/upload-url': { POST: { kind: 'upload-url', api: true, handler: handleUploadUrl } },
  '/v1/files/upload-confirm': { POST: { kind: 'upload-confirm', api: true, handler: handleUploadConfirm } },
};

function fixed(error: ApiError): RouteHandler {
  return () => Promise.reject(error);
}

export interface ServerHooks {
  recorder: RequestRecorder;
  onRequest: () => RequestHook | null;
  onHandled: () => HandledHook | null;
  log: (message: string) => void;
}

/** The HTTP front: routing, request records, latency and failure faults, JSON errors. */
export function createEmulatorServer(deps: EmulatorDeps, hooks: ServerHooks): Server {
  const storage = deps.store instanceof DiskBlobStore ? storageHandlers(deps.store) : null;

  function route(method: string, pathname: string): Route {
    const api = API_ROUTES[pathname];
    if (api !== undefined) {
      return (
        api[method] ?? {
          kind: 'other',
          api: false,
          handler: fixed(new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`)),
        }
      );
    }
    if (storage !== null && pathname.startsWith(STORAGE_PREFIX)) {
      if (method === 'GET' || method === 'HEAD') return { kind: 'storage-get', api: false, handler: storage.get };
      if (method === 'PUT') return { kind: 'storage-put', api: false, handler: storage.put };
    }
    return { kind: 'other', api: false, handler: fixed(new ApiError(404, 'not_found', `no route for ${method} ${pathname}`)) };
  }

  const activeResponse = new WeakMap<Socket, ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const match = route(method, url.pathname);
    const { record, index } = hooks.recorder.arrive(match.kind, method, url.pathname);
    activeResponse.set(req.socket, res);
    res.once('close', () => {
      record.status = res.headersSent ? res.statusCode : 0;
      if (activeResponse.get(req.socket) === res) activeResponse.delete(req.socket);
    });
    // The answer's last bytes are handed over in end(): the request has taken effect, and an
    // in-process client cannot have read the answer yet.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the response as `this`
    const end = res.end;
    let ended = false;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      if (!ended) {
        ended = true;
        hooks.onHandled()?.({ kind: record.kind, method, path: record.path, at: record.at }, index);
      }
      return Reflect.apply(end, this, args) as ServerResponse;
    } as ServerResponse['end'];
    try {
      await hooks.onRequest()?.({ kind: record.kind, method, path: record.path, at: record.at }, index);
      const latency = deps.faults.latencyMs();
      if (latency > 0) await sleep(latency);
      if (match.api) {
        const failure = deps.faults.apiFailure();
        if (failure !== null) throw failure;
      }
      await match.handler({ req, res, url, deps });
    } catch (error) {
      if (error instanceof ApiError) {
        sendError(res, error);
      } else {
        hooks.log(`internal error on ${method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`);
        sendError(res, new ApiError(500, 'internal', 'internal emulator error'));
      }
    }
  }

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    void handle(req, res);
  });

  // Bytes the HTTP parser cannot read (e.g. a body longer than its Content-Length spills into
  // the next request) still get the contract's JSON error, after any response under way.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: { code: 'bad_request', message: 'malformed HTTP request' } });
    const answer =
      'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    const pending = activeResponse.get(socket);
    if (pending === undefined || pending.writableFinished) {
      socket.end(answer);
    } else {
      pending.once('close', () => (pending.writableFinished ? socket.end(answer) : socket.destroy()));
    }
  });
  return server;
}
