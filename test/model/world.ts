/**
 * The real side of a model run: one in-process emulator (shared by every run in a process), a
 * fresh folder on tmpfs per run, the real Files API client and the real cycle with a pinned clock.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFilesApi } from '../../electron/engine/api/client.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import { syncOnce } from '../../electron/engine/sync/once/cycle.js';
import type { SyncOnceOptions, CycleResult } from '../../electron/engine/sync/once/cycle.js';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';

export const WS = 'ws_model';
const KEY = 'model-key';

/** Where runs live: tmpfs when the machine has one (runs are IO-bound), else the temp folder. */
function scratchBase(): string {
  const shm = '/dev/shm';
  return mkdtempSync(join(existsSync(shm) ? shm : tmpdir(), 'wsync-model-'));
}

export interface Lab {
  emu: Emulator;
  base: string;
  close(): Promise<void>;
}

export async function openLab(): Promise<Lab> {
  const base = scratchBase();
  const emu = await startEmulator({
    dataDir: join(base, 'emu'),
    workspaces: [WS],
    keys: [{ key: KEY, scopes: ['files'], workspaces: '*' }],
  });
  return {
    emu,
    base,
    async close() {
      await emu.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A seam for the broken-engine variants: wraps the client the engine talks to. */
export type ApiWrapper = (api: FilesApi) => FilesApi;

export interface WorldOptions {
  wrapApi?: ApiWrapper;
  concurrency?: number;
}

let runCounter = 0;

export class World {
  readonly root: string;
  readonly dir: string;
  private tick = 0;
  constructor(
    readonly lab: Lab,
    private readonly options: WorldOptions = {},
  ) {
    this.dir = join(lab.base, `run${++runCounter}`);
    this.root = join(this.dir, 'folder');
    mkdirSync(this.root, { recursive: true });
  }

  get emu(): Emulator {
    return this.lab.emu;
  }

  /** Every run starts with an empty workspace and no faults. */
  async reset(): Promise<void> {
    this.emu.onRequest = null;
    this.emu.onHandled = null;
    this.emu.resetFaults();
    for (const f of this.emu.admin.list(WS)) await this.emu.admin.remove(WS, f.path);
    this.emu.resetCounters();
  }

  dispose(): void {
    this.emu.onRequest = null;
    this.emu.onHandled = null;
    this.emu.resetFaults();
    rmSync(this.dir, { recursive: true, force: true });
  }

  api(pageSize?: number): FilesApi {
    const api = createFilesApi({
      server: this.emu.url,
      workspace: WS,
      apiKey: KEY,
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 10_000 },
      ...(pageSize === undefined ? {} : { pageSize }),
    });
    return this.options.wrapApi ? this.options.wrapApi(api) : api;
  }

  /**
   * One cycle. The clock is pinned (one second per reading) so conflict-copy and trash names, and
   * so the final state, depend on the seed only. The client retries once (its policy above): a
   * failed file is the next cycle's job, which is what the model wants to exercise anyway.
   */
  async cycle(extra: Partial<SyncOnceOptions> = {}): Promise<CycleResult> {
    return syncOnce({
      root: this.root,
      server: this.emu.url,
      workspace: WS,
      api: this.api(),
      confirmDeletes: true,
      concurrency: this.options.concurrency ?? 1,
      // Back-off entries are written and read, but never hold a file back: the quiet cycles retry.
      fileBackoff: { baseDelayMs: 0 },
      now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * this.tick++),
      ...extra,
    });
  }

  /** Local files (the engine's `.wsync/` left out) as path → content. */
  localTree(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (rel: string) => {
      for (const e of readdirSync(join(this.root, rel), { withFileTypes: true })) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (path === '.wsync') continue;
        if (e.isDirectory()) walk(path);
        else out.set(path, readFileSync(join(this.root, path), 'utf8'));
      }
    };
    if (existsSync(this.root)) walk('');
    return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Local folders (relative), deepest last. */
  localDirs(): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(join(this.root, rel), { withFileTypes: true })) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (path === '.wsync' || !e.isDirectory()) continue;
        out.push(path);
        walk(path);
      }
    };
    if (existsSync(this.root)) walk('');
    return out.sort();
  }

  async remoteTree(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const files = this.emu.admin.list(WS).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const f of files) out.set(f.path, ((await this.emu.admin.read(WS, f.path)) ?? Buffer.alloc(0)).toString('utf8'));
    return out;
  }
}

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
