/**
 * The main process's client of the engine process: starts it, calls it over the protocol of
 * engine-protocol.ts (answers validated against each method's schema), mirrors the statuses it
 * sends, and restarts it with back-off when it crashes, starting its folders again. While it is
 * down, its folders show the crash in their status and calls fail with a sentence to show.
 */
import {
  CONTROLLER_METHODS,
  ENGINE_METHODS,
  EngineToMainSchema,
  parseResult,
  type ControllerApi,
  type EngineCalls,
  type EngineMethod,
  type FolderEngine,
  type FolderSpec,
  type Remote,
  type SelfCheck,
  type ToolCalls,
} from '../shared/engine-protocol.js';
import type { Bandwidth, BrowseResult, ConnectionResult } from '../shared/ipc.js';
import type { SyncPreview } from '../shared/recovery.js';
import { applyStatusUpdate, placeholderStatus } from '../shared/status-patch.js';
import type { FolderStatus, SyncState } from '../shared/status.js';
import type { EngineProcess, ForkEngine } from './engine-process.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A process that ran at least this long before it crashed starts the back-off afresh. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

/** The wait before restart number `crashes` (1 = the first crash of a series): doubling, capped. */
export function restartDelay(crashes: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, crashes - 1));
}

export interface EngineCrash {
  code: number;
  /** Crashes in this series (reset once a process ran for `stableMs`). */
  crashes: number;
  restartInMs: number;
}

export interface EngineClientOptions {
  fork: ForkEngine;
  /** Electron's `session.resolveProxy` (answers "PROXY host:port; DIRECT" and the like). */
  resolveProxy?: (url: string) => Promise<string>;
  onCrash?: (crash: EngineCrash) => void;
  backoff?: Partial<Backoff>;
  /** A process that has not said it is ready by then is killed and restarted. */
  readyTimeoutMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export class EngineUnavailableError extends Error {
  readonly kind = 'transient';
}

export class UnknownFolderError extends Error {
  readonly kind = 'not-found';
  constructor(id: string) {
    super(`No folder pair with id ${id} is running`);
  }
}

interface Live {
  process: EngineProcess;
  ready: Promise<void>;
  startedAt: number;
}

interface Pending {
  live: Live;
  method: string;
  folderId: string | undefined;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

type FolderRuntime = FolderSpec & { apiKey: string };

const CRASHED = 'The sync engine stopped unexpectedly';

export class EngineClient implements FolderEngine {
  private live: Live | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextKeyRef = 0;
  private readonly wanted = new Map<string, FolderRuntime>();
  private readonly order: string[] = [];
  private readonly placeholders = new Map<string, FolderStatus>();
  private mirror: FolderStatus[] | null = null;
  private readonly mirrored = new Map<string, FolderStatus>();
  private readonly lastKnown = new Map<string, FolderStatus>();
  private readonly listeners = new Set<() => void>();
  private crashes = 0;
  private down: { message: string } | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private closing = false;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: EngineClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => process.stderr.write(`wsync: ${message}\n`));
  }

  /** The engine process's id, once it runs. */
  get pid(): number | undefined {
    return this.live?.process.pid;
  }

  statuses(): FolderStatus[] {
    return this.order.flatMap((id) => {
      const placeholder = this.placeholders.get(id);
      if (placeholder) return [placeholder];
      const status = this.mirrored.get(id);
      if (status && !this.down) return [status];
      const known = this.lastKnown.get(id);
      if (!this.wanted.has(id) || (!known && !this.down)) return [];
      const base = known ?? placeholderStatus(this.wanted.get(id) as FolderRuntime, 'error', CRASHED);
      return [{ ...base, state: 'error', message: this.down?.message ?? `${CRASHED}; it is starting again`, transfers: [] }];
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  controller(folderId: string): ControllerApi {
    if (!this.wanted.has(folderId)) throw new UnknownFolderError(folderId);
    const api: Partial<Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
    for (const method of CONTROLLER_METHODS) api[method] = (...args) => this.call(method, args, folderId);
    return api as ControllerApi;
  }

  running(): ControllerApi[] {
    return [...this.wanted.keys()].map((id) => this.controller(id));
  }

  async start(folder: FolderRuntime): Promise<void> {
    this.placeholders.delete(folder.id);
    this.wanted.set(folder.id, folder);
    this.remember(folder.id);
    if (this.down) return; // started with the others when the engine is back
    try {
      await this.startInEngine(folder);
    } catch (err) {
      // The engine went down meanwhile: its restart starts the folder, and the status says so.
      if (!(err instanceof EngineUnavailableError) || this.closing) throw err;
    }
  }

  showUnavailable(folder: Omit<FolderSpec, 'bandwidth'>, state: SyncState, message: string): void {
    this.wanted.delete(folder.id);
    this.placeholders.set(folder.id, placeholderStatus(folder, state, message));
    this.remember(folder.id);
    this.changed();
  }

  async stop(folderId: string): Promise<void> {
    const wasRunning = this.wanted.delete(folderId);
    this.placeholders.delete(folderId);
    this.lastKnown.delete(folderId);
    const at = this.order.indexOf(folderId);
    if (at >= 0) this.order.splice(at, 1);
    if (wasRunning && this.live && !this.down) await this.engine().stopFolder(folderId);
    this.changed();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.wanted.keys()].map((id) => this.stop(id)));
  }

  async setBandwidth(limits: Bandwidth): Promise<void> {
    for (const folder of this.wanted.values()) folder.bandwidth = limits;
    await Promise.all([...this.wanted.keys()].map((id) => this.controller(id).setBandwidth(limits)));
  }

  async testConnection(connection: { server: string; workspace: string; prefix: string; apiKey: string }): Promise<ConnectionResult> {
    const { apiKey, ...rest } = connection;
    const keyRef = `connection-test-${this.nextKeyRef++}`;
    const live = await this.ready();
    live.process.sendSecret({ ref: keyRef, apiKey });
    return this.engine().testConnection({ ...rest, keyRef });
  }

  /** Starts the engine process ahead of need (the first folder or connection test then waits for nothing). */
  warmUp(): void {
    this.ready().catch(() => undefined);
  }

  selfCheck(): Promise<SelfCheck> {
    return this.engine().selfCheck();
  }

  async browseRemote(connection: { server: string; workspace: string; apiKey: string }): Promise<BrowseResult> {
    const { apiKey, ...rest } = connection;
    return this.engine().browseRemote({ ...rest, keyRef: await this.postKey(apiKey) });
  }

  async previewSync(connection: { server: string; workspace: string; prefix: string; apiKey: string; dir: string }): Promise<SyncPreview> {
    const { apiKey, ...rest } = connection;
    return this.engine().previewSync({ ...rest, keyRef: await this.postKey(apiKey) });
  }

  tools(): Remote<ToolCalls> {
    return this.engine();
  }

  /** Posts a key for one call on the secret port; answers the ref the call names it by. */
  private async postKey(apiKey: string): Promise<string> {
    const keyRef = `connection-test-${this.nextKeyRef++}`;
    const live = await this.ready();
    live.process.sendSecret({ ref: keyRef, apiKey });
    return keyRef;
  }

  /** Stops every folder safely, then the process; no restart after this. */
  async shutdown(timeoutMs = 30_000): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const live = this.live;
    if (!live) return;
    const exited = new Promise<void>((resolve) => live.process.onExit(() => resolve()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([this.engine().stopAll(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    } catch (err) {
      this.log(`stopping the folders failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
      live.process.kill();
    }
    await exited;
  }

  private engine(): Remote<EngineCalls> {
    const api: Partial<Record<EngineMethod, (...args: unknown[]) => Promise<unknown>>> = {};
    for (const method of ENGINE_METHODS) api[method] = (...args) => this.call(method, args, undefined);
    return api as Remote<EngineCalls>;
  }

  private remember(id: string): void {
    if (!this.order.includes(id)) this.order.push(id);
  }

  private async startInEngine(folder: FolderRuntime): Promise<void> {
    const live = await this.ready();
    const { apiKey, ...spec } = folder;
    live.process.sendSecret({ ref: folder.id, apiKey });
    await this.engine().startFolder(spec);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private ready(): Promise<Live> {
    if (this.down) return Promise.reject(new EngineUnavailableError(this.down.message));
    // While quitting, the running process still takes calls (stopAll); no new one starts.
    if (this.closing && !this.live) return Promise.reject(new EngineUnavailableError('wsync is quitting'));
    const live = this.live ?? this.spawn();
    return live.ready.then(() => live);
  }

  private async call(method: string, args: unknown[], folderId: string | undefined): Promise<unknown> {
    const live = await this.ready();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { live, method, folderId, resolve, reject });
      live.process.send({ type: 'call', id, method, args, ...(folderId === undefined ? {} : { folderId }) });
    });
  }

  private spawn(): Live {
    const process = this.options.fork();
    let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => undefined);
    const live: Live = { process, ready, startedAt: this.now() };
    const timer = setTimeout(() => {
      this.log('the sync engine did not start in time; starting it again');
      process.kill();
    }, this.options.readyTimeoutMs ?? 30_000);
    process.onMessage((message) => {
      const parsed = EngineToMainSchema.safeParse(message);
      if (!parsed.success) {
        this.log(`ignored a message from the sync engine that is not part of the protocol: ${parsed.error.issues[0]?.message ?? ''}`);
        return;
      }
      const data = parsed.data;
      switch (data.type) {
        case 'ready':
          clearTimeout(timer);
          settle?.resolve();
          return;
        case 'result':
          this.settleCall(data.id, data.ok ? { value: data.value } : { error: data.error });
          return;
        case 'status':
          this.takeStatus(live, data.update);
          return;
        case 'resolve-proxy':
          void this.answerProxy(live, data.id, data.url);
          return;
      }
    });
    process.onExit((code) => {
      clearTimeout(timer);
      settle?.reject(new EngineUnavailableError(`${CRASHED} (exit code ${code})`));
      this.exited(live, code);
    });
    this.live = live;
    return live;
  }

  private settleCall(id: number, outcome: { value: unknown } | { error: { kind: string; message: string } }): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    if ('error' in outcome) {
      call.reject(Object.assign(new Error(outcome.error.message), { kind: outcome.error.kind }));
      return;
    }
    try {
      call.resolve(parseResult(call.method, call.folderId, outcome.value));
    } catch (err) {
      call.reject(err as Error);
    }
  }

  private takeStatus(live: Live, update: Parameters<typeof applyStatusUpdate>[1]): void {
    if (this.live !== live) return;
    try {
      this.mirror = applyStatusUpdate(this.mirror, update);
    } catch (err) {
      this.log(`a status update from the sync engine could not be applied: ${(err as Error).message}`);
      return;
    }
    this.mirrored.clear();
    for (const status of this.mirror) {
      this.mirrored.set(status.folderId, status);
      if (this.wanted.has(status.folderId)) this.lastKnown.set(status.folderId, status);
    }
    this.changed();
  }

  private async answerProxy(live: Live, id: number, url: string): Promise<void> {
    let proxy = 'DIRECT';
    try {
      if (this.options.resolveProxy) proxy = await this.options.resolveProxy(url);
    } catch (err) {
      this.log(`could not resolve the proxy for a request: ${(err as Error).message}`);
    }
    if (this.live === live) live.process.send({ type: 'proxy', id, proxy });
  }

  private exited(live: Live, code: number): void {
    if (this.live !== live) return;
    this.live = null;
    this.mirror = null;
    this.mirrored.clear();
    for (const [id, call] of this.pending) {
      if (call.live !== live) continue;
      this.pending.delete(id);
      call.reject(new EngineUnavailableError(`${CRASHED}: try again in a moment`));
    }
    if (this.closing) return;
    this.crashes = this.now() - live.startedAt >= this.backoff.stableMs ? 1 : this.crashes + 1;
    const restartInMs = restartDelay(this.crashes, this.backoff);
    const seconds = Math.max(1, Math.round(restartInMs / 1000));
    this.down = { message: `${CRASHED}; it starts again in ${seconds} s` };
    this.log(`the sync engine exited with code ${code}; restarting it in ${seconds} s`);
    this.options.onCrash?.({ code, crashes: this.crashes, restartInMs });
    this.changed();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.down = null;
      this.changed();
      for (const folder of this.wanted.values()) {
        void this.startInEngine(folder).catch((err: unknown) =>
          this.log(`folder ${folder.id} did not start again: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
      if (this.wanted.size === 0) this.spawn();
    }, restartInMs);
  }
}
