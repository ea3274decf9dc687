/**
 * The one-shot engine's cycle (cycle.ts) as the background controller's RunCycle. The controller
 * owns the folder's state (idle, syncing, ...), so the cycle's own state events are dropped here.
 */
import type { FilesApi } from '../api/types.js';
import type { Logger } from '../logger.js';
import type { CycleReport, CycleRequest, RunCycle } from './folder-controller.js';
import { runCycle, type CycleResult } from './cycle.js';

export interface EngineCycleOptions {
  root: string;
  server: string;
  workspace: string;
  prefix?: string;
  /** Builds the client for one cycle; the bandwidth buckets are the controller's. */
  api: (bandwidth: CycleRequest['bandwidth']) => FilesApi;
  concurrency?: number;
  logger?: Logger;
}

/** Anything moved or was found moved on either side: the poll returns to its short interval. */
export function somethingChanged(result: CycleResult): boolean {
  const c = result.counts;
  return c.uploaded + c.downloaded + c.deletedRemote + c.deletedLocal + c.renamedLocal + c.movedRemote + c.forgotten + c.conflicts > 0;
}

export function toCycleReport(result: CycleResult): CycleReport {
  return {
    changed: somethingChanged(result),
    held: result.held.map((h) => ({ side: h.side, paths: [...h.paths], syncedCount: h.syncedCount })),
    failures: result.failed.map((f) => ({ path: f.path, kind: f.kind, message: f.message })),
  };
}

export function engineCycle(options: EngineCycleOptions): RunCycle {
  return async (request) => {
    const result = await runCycle({
      root: options.root,
      server: options.server,
      workspace: options.workspace,
      prefix: options.prefix ?? '',
      api: options.api(request.bandwidth),
      confirmDeletes: request.confirmDeletes,
      signal: request.signal,
      skip: request.skip,
      logger: options.logger ?? request.logger,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onEvent: (event) => {
        if (event.type !== 'state') request.onEvent(event);
      },
    });
    return toCycleReport(result);
  };
}
