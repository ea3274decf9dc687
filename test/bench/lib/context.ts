/**
 * What every scenario gets: the sizes for this mode, fresh temp folders, workspaces, and the
 * figure list it adds to.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONCURRENCY, concurrencyFor as engineConcurrencyFor } from '../../../electron/engine/execute/concurrency.js';
import type { EmulatorOptions } from '../../../emulator/types.js';
import type { TreeSpec } from './content.js';
import { procStat } from './processes.js';
import type { Figure } from './report.js';

export const API_KEY = 'wsync-bench-key';
/** The engine's default transfer concurrency (its ceiling, `--concurrency`): what wsync runs with. */
export const CONCURRENCY = DEFAULT_CONCURRENCY;

/** The transfers wsync's pool runs at once for a tree of files of `size` bytes: the wire baseline runs at the same. */
export function concurrencyFor(size: number): number {
  return engineConcurrencyFor(size, CONCURRENCY);
}

export interface Sizes {
  smallTree: TreeSpec;
  largeTree: TreeSpec;
  noopTree: TreeSpec;
  /** Files already in the folder while change latency is measured (with the edits, one listing page). */
  latencyTree: TreeSpec;
  /** Local edits timed, and remote ones, on the latency tree. */
  edits: number;
  remoteEdits: number;
  /** Remote edits timed on the large tree (each waits for a poll of 100,000 files). */
  largeTreeRemoteEdits: number;
  /** The quiet window of the idle measure, and the slice whose worst is reported. */
  idleSeconds: number;
  idleSliceSeconds: number;
  bigFileBytes: number;
  peerTree: TreeSpec;
  /** The synced folder of the start-up scenario's no-op sync (issue 12 names 2,000 files). */
  startupTree: TreeSpec;
}

export const FULL: Sizes = {
  smallTree: { count: 10_000, folders: 100, size: 4096 },
  largeTree: { count: 20, folders: 1, size: 20 * 2 ** 20 },
  noopTree: { count: 100_000, folders: 100, size: 512 },
  latencyTree: { count: 900, folders: 10, size: 4096 },
  edits: 50,
  remoteEdits: 20,
  largeTreeRemoteEdits: 3,
  idleSeconds: 600,
  idleSliceSeconds: 60,
  bigFileBytes: 2 * 2 ** 30,
  peerTree: { count: 10_000, folders: 100, size: 4096 },
  startupTree: { count: 2_000, folders: 20, size: 512 },
};

/** Small enough for CI's smoke run (under two minutes), large enough that every code path runs. */
export const QUICK: Sizes = {
  smallTree: { count: 500, folders: 10, size: 4096 },
  largeTree: { count: 2, folders: 1, size: 20 * 2 ** 20 },
  noopTree: { count: 5_000, folders: 50, size: 512 },
  latencyTree: { count: 100, folders: 10, size: 4096 },
  edits: 10,
  remoteEdits: 3,
  largeTreeRemoteEdits: 1,
  idleSeconds: 10,
  idleSliceSeconds: 5,
  bigFileBytes: 100 * 2 ** 20,
  peerTree: { count: 500, folders: 10, size: 4096 },
  startupTree: { count: 100, folders: 10, size: 512 },
};

export interface BenchContext {
  quick: boolean;
  runs: number;
  sizes: Sizes;
  log(message: string): void;
  record(figure: Figure): void;
  /** A new empty folder under this bench run's temp folder. */
  freshDir(label: string): string;
  /** A workspace no earlier run has touched. */
  freshWorkspace(): string;
  emulatorOptions(label: string): EmulatorOptions;
}

const WORKSPACES = Array.from({ length: 200 }, (_, i) => `ws_bench${i}`);

export function createContext(options: {
  quick: boolean;
  runs: number;
  tmp: string;
  log: (m: string) => void;
  record: (f: Figure) => void;
  files?: number;
}): BenchContext {
  let dirs = 0;
  let workspaces = 0;
  const sizes = options.quick ? QUICK : FULL;
  const count = options.files;
  return {
    quick: options.quick,
    runs: options.runs,
    sizes: count === undefined ? sizes : { ...sizes, smallTree: { ...sizes.smallTree, count }, peerTree: { ...sizes.peerTree, count } },
    log: options.log,
    record: options.record,
    freshDir(label) {
      const dir = join(options.tmp, `${label}-${++dirs}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    freshWorkspace() {
      const ws = WORKSPACES[workspaces++];
      if (ws === undefined) throw new Error('the bench ran out of workspaces');
      return ws;
    },
    emulatorOptions(label) {
      return {
        dataDir: mkdtempSync(join(options.tmp, `emu-${label}-`)),
        keys: [{ key: API_KEY, scopes: ['files'], workspaces: '*' }],
        workspaces: WORKSPACES,
      };
    },
  };
}

/** The 1-minute load average as a run ends: what else the machine was doing, shown beside the figure. */
export function loadNow(): number {
  return loadavg()[0] ?? Number.NaN;
}

export interface Alternated<A, B> {
  wsync: A[];
  baseline: B[];
  /** Load average at the end of every run, both sides: the figure's `load` is their median. */
  load: number[];
  /** CPU the servers (`serverPids`) spent during each run: what each client made them do. */
  serverCpuMs: { wsync: number[]; baseline: number[] };
}

/**
 * Runs `wsync` and `baseline` alternately (the order flips each run, so neither always goes
 * first), sampling the load average after each run and the CPU time the servers used during it.
 */
export async function alternate<A, B>(
  runs: number,
  wsync: (run: number) => Promise<A>,
  baseline: (run: number) => Promise<B>,
  serverPids: number[] = [],
): Promise<Alternated<A, B>> {
  const out: Alternated<A, B> = { wsync: [], baseline: [], load: [], serverCpuMs: { wsync: [], baseline: [] } };
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + procStat(pid).cpuMs, 0);
  const measure = async <T>(side: 'wsync' | 'baseline', run: () => Promise<T>): Promise<T> => {
    const before = serverCpu();
    const result = await run();
    out.serverCpuMs[side].push(serverCpu() - before);
    out.load.push(loadNow());
    return result;
  };
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      out.wsync.push(await measure('wsync', () => wsync(run)));
      out.baseline.push(await measure('baseline', () => baseline(run)));
    } else {
      out.baseline.push(await measure('baseline', () => baseline(run)));
      out.wsync.push(await measure('wsync', () => wsync(run)));
    }
  }
  return out;
}
