/**
 * The engine process's end of the protocol (electron/shared/engine-protocol.ts): validates every
 * message from the main process, runs the calls on the folder host, takes API keys from the
 * secret port, and sends status changes as patches at most every `statusIntervalMs`.
 */
import {
  MainToEngineSchema,
  SecretMessageSchema,
  parseCall,
  type EngineCalls,
  type EngineToMain,
  type SelfCheck,
  type Served,
} from '../shared/engine-protocol.js';
import { statusUpdate } from '../shared/status-patch.js';
import type { FolderStatus } from '../shared/status.js';
import { createThrottle } from '../shared/throttle.js';
import type { FolderHost } from './folder-host.js';

/** Electron's MessagePortMain, as far as the engine uses it. */
export interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
}

/** Electron's `process.parentPort` in a utility process. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface EngineServerOptions {
  parent: ParentPortLike;
  host: FolderHost;
  selfCheck: () => SelfCheck;
  /** Status patches go out at most this often (default 100 ms: 10 a second). */
  statusIntervalMs?: number;
  /** How long a call waits for its key to arrive on the secret port. */
  keyWaitMs?: number;
  /** How long a proxy question waits for main's answer before going direct. */
  proxyWaitMs?: number;
  log?: (message: string) => void;
}

export interface EngineServer {
  /** Asks the main process which proxy serves `url` (Electron's `session.resolveProxy` answer). */
  resolveProxy(url: string): Promise<string>;
  /** Sends any status change now (before a call's answer, so main sees its effect with it). */
  flushStatus(): void;
}

class SecretBox {
  private readonly keys = new Map<string, string>();
  private readonly waiting = new Map<string, ((key: string) => void)[]>();

  put(ref: string, apiKey: string): void {
    const waiters = this.waiting.get(ref);
    if (waiters && waiters.length > 0) {
      (waiters.shift() as (key: string) => void)(apiKey);
      if (waiters.length === 0) this.waiting.delete(ref);
      return;
    }
    this.keys.set(ref, apiKey);
  }

  /** The key posted under `ref` (the port and the calls are separate channels: it may come after the call). */
  take(ref: string, waitMs: number): Promise<string> {
    const key = this.keys.get(ref);
    if (key !== undefined) {
      this.keys.delete(ref);
      return Promise.resolve(key);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiting.get(ref) ?? [];
        list.splice(list.indexOf(deliver), 1);
        reject(Object.assign(new Error('The API key for this folder did not reach the sync engine'), { kind: 'fatal' }));
      }, waitMs);
      const deliver = (apiKey: string): void => {
        clearTimeout(timer);
        resolve(apiKey);
      };
      this.waiting.set(ref, [...(this.waiting.get(ref) ?? []), deliver]);
    });
  }
}

function errorEnvelope(err: unknown): { kind: string; message: string } {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return { kind: typeof kind === 'string' ? kind : 'fatal', message: err instanceof Error ? err.message : String(err) };
}

export function serveEngine(options: EngineServerOptions): EngineServer {
  const { parent, host } = options;
  const log = options.log ?? ((message: string) => process.stderr.write(`wsync engine: ${message}\n`));
  const keyWaitMs = options.keyWaitMs ?? 10_000;
  const proxyWaitMs = options.proxyWaitMs ?? 5_000;
  const secrets = new SecretBox();
  const post = (message: EngineToMain): void => parent.postMessage(message);

  let sent: FolderStatus[] | null = null;
  const pump = createThrottle(options.statusIntervalMs ?? 100, () => {
    const next = host.statuses();
    const update = statusUpdate(sent, next);
    if (update === null) return;
    sent = next;
    post({ type: 'status', update });
  });
  host.subscribe(() => pump.request());

  const engine: Served<EngineCalls> = {
    ...host.served(),
    browseRemote: async ({ keyRef, ...connection }) => host.browseRemote({ ...connection, apiKey: await secrets.take(keyRef, keyWaitMs) }),
    previewSync: async ({ keyRef, ...connection }) => host.previewSync({ ...connection, apiKey: await secrets.take(keyRef, keyWaitMs) }),
    startFolder: async (spec) => host.start({ ...spec, apiKey: await secrets.take(spec.id, keyWaitMs) }),
    stopFolder: (id) => host.stop(id),
    stopAll: () => host.stopAll(),
    testConnection: async ({ keyRef, ...connection }) => host.testConnection({ ...connection, apiKey: await secrets.take(keyRef, keyWaitMs) }),
    selfCheck: () => options.selfCheck(),
  };

  async function run(folderId: string | undefined, method: string, args: unknown[]): Promise<unknown> {
    if (folderId !== undefined) {
      const controller = host.controller(folderId) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return (controller[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    }
    return (engine[method as keyof EngineCalls] as (...a: unknown[]) => unknown)(...args);
  }

  /** Status changes a call made go out before its answer (the host batches them per tick). */
  const settled = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    pump.flush();
  };

  let nextProxyId = 0;
  const proxyAnswers = new Map<number, (proxy: string) => void>();

  parent.on('message', ({ data, ports }) => {
    const parsed = MainToEngineSchema.safeParse(data);
    if (!parsed.success) {
      log(`ignored a message that is not part of the protocol: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'secret-port': {
        const port = ports[0];
        if (!port) {
          log('the secret port message carried no port');
          return;
        }
        port.on('message', ({ data: secret }) => {
          const key = SecretMessageSchema.safeParse(secret);
          if (key.success) secrets.put(key.data.ref, key.data.apiKey);
          else log('ignored a malformed message on the secret port');
        });
        port.start();
        return;
      }
      case 'proxy': {
        proxyAnswers.get(message.id)?.(message.proxy);
        proxyAnswers.delete(message.id);
        return;
      }
      case 'call': {
        const { id, folderId } = message;
        void (async () => {
          try {
            const call = parseCall(message);
            const value = await run(folderId, call.method, call.args);
            await settled();
            post({ type: 'result', id, ok: true, value });
          } catch (err) {
            await settled();
            post({ type: 'result', id, ok: false, error: errorEnvelope(err) });
          }
        })();
        return;
      }
    }
  });

  return {
    resolveProxy(url) {
      const id = nextProxyId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          proxyAnswers.delete(id);
          log('the main process did not say which proxy to use in time: connecting directly');
          resolve('DIRECT');
        }, proxyWaitMs);
        proxyAnswers.set(id, (proxy) => {
          clearTimeout(timer);
          resolve(proxy);
        });
        post({ type: 'resolve-proxy', id, url });
      });
    },
    flushStatus: () => pump.flush(),
  };
}
