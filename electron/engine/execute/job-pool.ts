/**
 * Where the executor's ready jobs wait for one of the pool's workers: the one place concurrency
 * enters a plan's execution. Production takes them first in, first out (p-queue). The port exists
 * so that a test can decide the order itself: the model checker starts each ready job when its
 * seeded scheduler says so, which makes the interleaving of jobs replayable from a seed.
 */
import PQueue from 'p-queue';
import type { PlannedAction } from '../plan/types.js';

export interface JobPool {
  /** Runs `job` once a worker is free; `action` is what the job carries out (a pool may order by it). */
  run<T>(job: () => Promise<T>, action: PlannedAction): Promise<T>;
}

/** A pool of `concurrency` workers (at least one). */
export type JobPoolFactory = (concurrency: number) => JobPool;

/** First in, first out, `concurrency` at once: what the engine runs. */
export const fifoJobPool: JobPoolFactory = (concurrency) => {
  const queue = new PQueue({ concurrency });
  return { run: (job) => queue.add(job) };
};
