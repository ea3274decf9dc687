/**
 * The engine's interleaving under the model, decided by fast-check's scheduler so that a seed
 * (and a counterexample path) replays it. Concurrency enters a cycle at three kinds of points: a
 * ready job taking a worker (the executor's job pool, execute/job-pool.ts), a request to the
 * server (every Files API call, which the engine awaits while other jobs run), and the state
 * writer's deadlines (its batch and fsync timers, state/state-writer.ts). Each of them waits here
 * at a gate, and the driver opens one gate at a time, chosen by the scheduler, once nothing else
 * is running: every job is parked at a gate or done, no request is in flight, and no file system
 * call or setImmediate is pending (Node's active resources). Between two gates one piece of the
 * engine runs, so what it does no longer depends on how long the disk or the loopback server took.
 *
 * What stays outside (README, "The model checker and its soak"): steps between two gates run in
 * one go, so the file system calls of two jobs interleave only at gates, except when one request
 * resumes two jobs at once (a fresh look shared by a folder's jobs), which then run at real
 * timings until their next gates; the second engine of SecondEngine runs ungated at real timings.
 */
import fc from 'fast-check';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fifoJobPool, type JobPoolFactory } from '../../electron/engine/execute/job-pool.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import type { PlannedAction } from '../../electron/engine/plan/types.js';
import type { Timer } from '../../electron/engine/state/state-writer.js';

/** Node's active resources that mean work is under way: file system requests and pending immediates. */
const BUSY = /Req|Immediate|Job$/;
const busy = (): boolean => process.getActiveResourcesInfo().some((r) => BUSY.test(r));

const target = (a: PlannedAction): string => (a.kind === 'rename-local' || a.kind === 'move-remote' ? `${a.from}->${a.to}` : a.path);

export class Interleaving {
  private inFlight = 0;
  private driving = false;
  /** Every gate opened, in order: the interleaving a failure report prints. */
  readonly opened: string[] = [];

  constructor(private readonly scheduler: fc.Scheduler) {}

  private async gate(label: string): Promise<void> {
    await this.scheduler.schedule(Promise.resolve(), label);
    this.opened.push(label);
  }

  /** The client with a gate before every call; the call itself runs to its end before the next gate opens. */
  api(api: FilesApi): FilesApi {
    const call = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
      await this.gate(label);
      this.inFlight++;
      try {
        return await run();
      } finally {
        this.inFlight--;
      }
    };
    return {
      list: (prefix, o) => call(`list ${prefix ?? ''}`, () => api.list(prefix, o)),
      stat: (path, o) => call(`stat ${path}`, () => api.stat(path, o)),
      upload: (file, remotePath, o) => call(`upload ${remotePath}`, () => api.upload(file, remotePath, o)),
      download: (file, destination, o) => call(`download ${file.path}`, () => api.download(file, destination, o)),
      hashRemote: (file, o) => call(`hash ${file.path}`, () => api.hashRemote(file, o)),
      // Keys are the server's random object ids: a label with one would differ between two runs of one seed.
      delete: (key, o) => call('delete', () => api.delete(key, o)),
    };
  }

  /** The executor's pool: first in, first out, but a ready job takes its place only when its gate opens. */
  readonly pool: JobPoolFactory = (concurrency) => {
    const workers = fifoJobPool(concurrency);
    return {
      run: async (job, action) => {
        await this.gate(`start ${action.kind} ${target(action)}`);
        return workers.run(job, action);
      },
    };
  };

  /** The state writer's deadlines (its batch and fsync timers): each comes when its gate opens. */
  readonly later = (fn: () => void): Timer => {
    let cancelled = false;
    void this.gate('writer deadline').then(() => {
      if (!cancelled) fn();
    });
    return {
      cancel: () => {
        cancelled = true;
      },
    };
  };

  /**
   * Runs a cycle to its end, opening its gates one at a time. A cycle started while another is
   * driven (a second engine from inside a request) is left to the outer loop.
   */
  async drive<T>(run: Promise<T>): Promise<T> {
    if (this.driving) return run;
    this.driving = true;
    // Set by the callbacks below, as the cycle ends.
    let ended = false as boolean;
    const end = () => {
      ended = true;
    };
    run.then(end, end);
    try {
      for (;;) {
        await this.quiet(() => ended);
        if (ended) break;
        // Nothing at a gate but not ended: a timer is running (a retry's pause); let it fire.
        if (this.scheduler.count() === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        else await this.scheduler.waitNext(1);
      }
    } finally {
      this.driving = false;
    }
    return run;
  }

  /** Returns once two turns of the event loop in a row saw nothing running (or the cycle ended). */
  private async quiet(ended: () => boolean): Promise<void> {
    for (let calm = 0; calm < 2 && !ended();) {
      await nextTurn();
      calm = this.inFlight === 0 && !busy() ? calm + 1 : 0;
    }
  }
}
