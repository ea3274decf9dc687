/**
 * What every scenario gets: the sizes for this mode, fresh temp folders, workspaces, and the
 * figure list it adds to.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../../emulator/types.js';
import type { TreeSpec } from './content.js';
import type { Figure } from './report.js';

export const API_KEY = 'wsync-bench-key';
/** The engine's default transfer concurrency; baselines and the peer use the same. */
export const CONCURRENCY = 4;

export interface Sizes {
  smallTree: TreeSpec;
  largeTree: TreeSpec;
  noopTree: TreeSpec;
  /** Files already in the folder while change latency is measured. */
  latencyTree: TreeSpec;
  edits: number;
  idleSeconds: number;
  bigFileBytes: number;
  peerTree: TreeSpec;
}

export const FULL: Sizes = {
  smallTree: { count: 10_000, folders: 100, size: 4096 },
  largeTree: { count: 20, folders: 1, size: 20 * 2 ** 20 },
  noopTree: { count: 100_000, folders: 100, size: 512 },
  latencyTree: { count: 1_000, folders: 10, size: 4096 },
  edits: 50,
  idleSeconds: 60,
  bigFileBytes: 2 * 2 ** 30,
  peerTree: { count: 10_000, folders: 100, size: 4096 },
};

/** Small enough for CI's smoke run (under two minutes), large enough that every code path runs. */
export const QUICK: Sizes = {
  smallTree: { count: 500, folders: 10, size: 4096 },
  largeTree: { count: 2, folders: 1, size: 20 * 2 ** 20 },
  noopTree: { count: 5_000, folders: 50, size: 512 },
  latencyTree: { count: 100, folders: 10, size: 4096 },
  edits: 10,
  idleSeconds: 10,
  bigFileBytes: 100 * 2 ** 20,
  peerTree: { count: 500, folders: 10, size: 4096 },
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

export function createContext(options: { quick: boolean; runs: number; tmp: string; log: (m: string) => void; record: (f: Figure) => void }): BenchContext {
  let dirs = 0;
  let workspaces = 0;
  return {
    quick: options.quick,
    runs: options.runs,
    sizes: options.quick ? QUICK : FULL,
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

/** Runs `wsync` and `baseline` alternately (the order flips each run, so neither always goes first). */
export async function alternate<A, B>(runs: number, wsync: (run: number) => Promise<A>, baseline: (run: number) => Promise<B>): Promise<{ wsync: A[]; baseline: B[] }> {
  const a: A[] = [];
  const b: B[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      a.push(await wsync(run));
      b.push(await baseline(run));
    } else {
      b.push(await baseline(run));
      a.push(await wsync(run));
    }
  }
  return { wsync: a, baseline: b };
}
