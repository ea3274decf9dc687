/**
 * The one rig for sync tests, in the shape of Nextcloud's FakeFolder: a sync folder on disk and a
 * workspace on a real emulator on loopback, both behind the same modifier API (`local` and
 * `remote`: insert, append, rename, remove, read, exists, paths, tree), `syncOnce()` with the real
 * engine and client, the plan a cycle would carry out as its own printed lines (`planLines()`),
 * and the two trees to compare. A rig starts its own emulator (`SyncRig.open`), or runs on a
 * shared one (`openRigServer` + `SyncRig.on`: the model checker runs thousands of folders on one
 * emulator per process). CLI tests run the built program on a rig (test/cli/harness.ts cliSync).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatPlan } from '../../electron/cli/output.js';
import { createFilesApi, type FilesApiClient, type FilesApiOptions } from '../../electron/engine/api/client.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import { folderLayout } from '../../electron/engine/local/folder-layout.js';
import { STATE_DIR } from '../../electron/engine/model/state-folder.js';
import { StateDb } from '../../electron/engine/state/state-db.js';
import { syncOnce, type CycleResult, type SyncOnceOptions } from '../../electron/engine/sync/once/cycle.js';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../emulator/types.js';
import { scratchBase } from './scratch.js';

export const RIG_WORKSPACE = 'ws_demo';
export const RIG_KEY = 'wsync-demo-key';

export const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Transfers and deletions counted by the emulator since the last reset. */
export function transferCounts(emu: Emulator): { uploads: number; downloads: number; deletes: number } {
  const c = emu.counters();
  return { uploads: c.upload + c['upload-url'] + c['storage-put'], downloads: c['download-url'] + c['storage-get'], deletes: c.delete };
}

/** What both sides offer a test: the same few verbs, as a user (or another client) would act. */
export interface Side {
  insert(path: string, body: string | Buffer): Promise<void>;
  append(path: string, body: string | Buffer): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  read(path: string): Promise<string | null>;
  /** A file, folder or link (a dangling one included) is at `path`. */
  exists(path: string): Promise<boolean>;
  /** Every file as path → content (utf8), sorted by path; the engine's `.wsync/` left out. */
  tree(): Promise<Map<string, string>>;
  paths(): Promise<string[]>;
}

export interface RigOptions {
  /** The emulator's options, for a rig that starts its own (default: the demo key and workspace). */
  emulator?: Partial<EmulatorOptions>;
  workspace?: string;
  key?: string;
  /** The remote folder mirrored ('' = the whole workspace). */
  prefix?: string;
  /** The client every cycle uses (retry policy, page size, logger, ...). */
  client?: Partial<FilesApiOptions>;
  /** Wraps the client the engine talks to (the model checker's broken engines). */
  wrapApi?: (api: FilesApi) => FilesApi;
  /** Options every syncOnce of this rig starts from; a call's own options win. */
  cycle?: Partial<SyncOnceOptions>;
  /** Runs every syncOnce to its end (the model checker's seeded interleaving opens its gates there). */
  drive?: (cycle: Promise<CycleResult>) => Promise<CycleResult>;
}

/** One emulator shared by many rigs (each with its own folder under `base`). */
export interface RigServer {
  emu: Emulator;
  base: string;
  workspace: string;
  key: string;
  close(): Promise<void>;
}

/** An emulator for many rigs, serving `workspace` to `key`, its data on tmpfs where there is one. */
export async function openRigServer(options: { workspace?: string; key?: string; emulator?: Partial<EmulatorOptions> } = {}): Promise<RigServer> {
  const workspace = options.workspace ?? RIG_WORKSPACE;
  const key = options.key ?? RIG_KEY;
  const base = scratchBase('wsync-rigs-');
  const emu = await startEmulator({
    dataDir: join(base, 'emu'),
    workspaces: [workspace],
    keys: [{ key, scopes: ['files'], workspaces: '*' }],
    ...options.emulator,
  });
  return {
    emu,
    base,
    workspace,
    key,
    async close() {
      await emu.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A clock for cycles that reads one step later at every reading: names made from the time depend on the run only. */
export function steppedClock(startMs: number, stepMs = 1000): () => Date {
  let readings = 0;
  return () => new Date(startMs + stepMs * readings++);
}

let folders = 0;

export class SyncRig {
  readonly root: string;
  readonly workspace: string;
  readonly key: string;
  readonly prefix: string;
  readonly local: Side;
  readonly remote: Side;
  private db: StateDb | null = null;
  private port = 0;

  private constructor(
    private current: Emulator,
    /** The rig's own folder: the sync folder and (for a rig of its own) the emulator's data live under it. */
    readonly base: string,
    private readonly options: RigOptions,
    private readonly ownsEmulator: boolean,
  ) {
    this.workspace = options.workspace ?? RIG_WORKSPACE;
    this.key = options.key ?? RIG_KEY;
    this.prefix = options.prefix ?? '';
    this.root = join(base, 'folder');
    mkdirSync(this.root, { recursive: true });
    this.local = localSide(this.root);
    this.remote = remoteSide(() => this.current, this.workspace);
  }

  get emu(): Emulator {
    return this.current;
  }

  /** A rig with an emulator of its own (the demo key and workspace unless `emulator` says otherwise). */
  static async open(options: RigOptions = {}): Promise<SyncRig> {
    const base = scratchBase('wsync-rig-');
    const emu = await startEmulator({ dataDir: join(base, 'emu'), ...options.emulator });
    return new SyncRig(emu, base, options, true);
  }

  /** A rig on a shared emulator, with a folder of its own; its workspace and key are the server's unless given. */
  static on(server: RigServer, options: Omit<RigOptions, 'emulator'> = {}): SyncRig {
    return new SyncRig(server.emu, join(server.base, `rig${++folders}`), { workspace: server.workspace, key: server.key, ...options }, false);
  }

  get server(): string {
    return this.emu.url;
  }

  /** The server goes away (connections refused) until serverUp; its files stay on disk. */
  async serverDown(): Promise<void> {
    if (!this.ownsEmulator) throw new Error("a shared emulator is not the rig's to stop");
    this.port = this.current.port;
    await this.current.close();
  }

  /** The same server back on the same port, with the files it held. */
  async serverUp(): Promise<void> {
    this.current = await startEmulator({ dataDir: join(this.base, 'emu'), ...this.options.emulator, port: this.port });
  }

  /** A Files API client for this rig's server, workspace and key (the rig's client options, then `extra`). */
  api(extra: Partial<FilesApiOptions> = {}): FilesApiClient {
    return createFilesApi({ server: this.emu.url, workspace: this.workspace, apiKey: this.key, ...this.options.client, ...extra });
  }

  /**
   * The client the engine talks to: `api(extra)` through the rig's `wrapApi`; `wire` wraps the
   * plain client first, so it sees the requests that really go out (not what a broken-engine wrapper answers itself).
   */
  engineApi(extra: Partial<FilesApiOptions> = {}, wire: (api: FilesApi) => FilesApi = (api) => api): FilesApi {
    const api = wire(this.api(extra));
    return this.options.wrapApi ? this.options.wrapApi(api) : api;
  }

  /** `wsync sync --once` in-process: the real engine, the real client, this rig's folder and binding. */
  syncOnce(extra: Partial<SyncOnceOptions> = {}): Promise<CycleResult> {
    const cycle = syncOnce({
      root: this.root,
      server: this.emu.url,
      workspace: this.workspace,
      prefix: this.prefix,
      api: extra.api ?? this.engineApi(),
      ...this.options.cycle,
      ...extra,
    });
    return this.options.drive === undefined ? cycle : this.options.drive(cycle);
  }

  /** What the next cycle would do, as `wsync sync --once --dry-run` prints it (`row  2  upload  a.txt`). */
  async planLines(extra: Partial<SyncOnceOptions> = {}): Promise<string[]> {
    return formatPlan((await this.syncOnce({ ...extra, dryRun: true })).plan);
  }

  /** Both sides hold the same files with the same bytes. */
  async inSync(): Promise<boolean> {
    const paths = localPaths(this.root);
    if (JSON.stringify(paths) !== JSON.stringify(await this.remote.paths())) return false;
    for (const p of paths) {
      // Bytes, not text: binary files that decode alike must not pass for equal.
      const remote = await this.emu.admin.read(this.workspace, p);
      if (!remote?.equals(readFileSync(join(this.root, ...p.split('/'))))) return false;
    }
    return true;
  }

  /** The local tree now (path → utf8 content, sorted), without waiting: for checks inside synchronous loops. */
  localTree(): Map<string, string> {
    return localFiles(this.root);
  }

  /** Local file paths now (sorted, `.wsync/` left out), without reading them or waiting: for polls while a run writes. */
  localPaths(): string[] {
    return localPaths(this.root);
  }

  remoteTree(): Promise<Map<string, string>> {
    return this.remote.tree();
  }

  /** Local folders (relative), sorted; the engine's `.wsync/` left out. */
  localDirs(): string[] {
    const out: string[] = [];
    const walk = (rel: string): void => {
      for (const e of readdirSync(join(this.root, rel), { withFileTypes: true })) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (path === STATE_DIR || !e.isDirectory()) continue;
        out.push(path);
        walk(path);
      }
    };
    if (existsSync(this.root)) walk('');
    return out.sort(byName);
  }

  /** The folder's state database, writable, for tests below the cycle (executor, recovery); closed with the rig. */
  state(): StateDb {
    if (!this.db?.isOpen) this.db = StateDb.open(folderLayout(this.root).stateDb);
    return this.db;
  }

  /** The folder's state database, read-only, for the length of `read`. */
  withState<T>(read: (db: StateDb) => T): T {
    const db = StateDb.open(folderLayout(this.root).stateDb, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  /** Transfers and deletions the emulator counted since its counters were last reset. */
  transfers(): { uploads: number; downloads: number; deletes: number } {
    return transferCounts(this.emu);
  }

  /** The workspace emptied (a shared server's next rig starts from nothing); counters back to zero. */
  async clearRemote(): Promise<void> {
    for (const f of this.emu.admin.list(this.workspace)) await this.emu.admin.remove(this.workspace, f.path);
    this.emu.resetCounters();
  }

  /** Every request and fault hook back to none. */
  quiet(): void {
    this.emu.onRequest = null;
    this.emu.onHandled = null;
    this.emu.resetFaults();
  }

  async close(): Promise<void> {
    this.quiet();
    this.db?.close();
    if (this.ownsEmulator) await this.emu.close();
    rmSync(this.base, { recursive: true, force: true });
  }
}

function localPaths(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (path === STATE_DIR) continue;
      if (e.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  if (existsSync(root)) walk('');
  return out.sort(byName);
}

function localFiles(root: string): Map<string, string> {
  return new Map(localPaths(root).map((p) => [p, readFileSync(join(root, p), 'utf8')]));
}

function localSide(root: string): Side {
  const abs = (path: string): string => join(root, ...path.split('/'));
  return {
    async insert(path, body) {
      mkdirSync(dirname(abs(path)), { recursive: true });
      writeFileSync(abs(path), body);
    },
    async append(path, body) {
      appendFileSync(abs(path), body);
    },
    async rename(from, to) {
      mkdirSync(dirname(abs(to)), { recursive: true });
      renameSync(abs(from), abs(to));
    },
    async remove(path) {
      rmSync(abs(path), { recursive: true, force: true });
    },
    async read(path) {
      return existsSync(abs(path)) ? readFileSync(abs(path), 'utf8') : null;
    },
    async exists(path) {
      try {
        lstatSync(abs(path));
        return true;
      } catch {
        return false;
      }
    },
    async tree() {
      return localFiles(root);
    },
    async paths() {
      return localPaths(root);
    },
  };
}

function remoteSide(server: () => Emulator, workspace: string): Side {
  const admin = (): Emulator['admin'] => server().admin;
  const read = async (path: string): Promise<string | null> => (await admin().read(workspace, path))?.toString('utf8') ?? null;
  const paths = (): string[] =>
    admin()
      .list(workspace)
      .map((f) => f.path)
      .sort(byName);
  return {
    async insert(path, body) {
      await admin().put(workspace, path, body);
    },
    async append(path, body) {
      const before = (await admin().read(workspace, path)) ?? Buffer.alloc(0);
      await admin().put(workspace, path, Buffer.concat([before, Buffer.from(body)]));
    },
    // The API has no rename: another client moves a file by uploading it anew and deleting the old one.
    async rename(from, to) {
      const bytes = await admin().read(workspace, from);
      if (bytes === null) throw new Error(`no remote ${from} to rename`);
      await admin().put(workspace, to, bytes);
      await admin().remove(workspace, from);
    },
    async remove(path) {
      await admin().remove(workspace, path);
    },
    read,
    async exists(path) {
      return admin()
        .list(workspace)
        .some((f) => f.path === path);
    },
    async tree() {
      const out = new Map<string, string>();
      for (const p of paths()) out.set(p, (await read(p)) ?? '');
      return out;
    },
    async paths() {
      return paths();
    },
  };
}
