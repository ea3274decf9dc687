/**
 * The engine's implementations of the controller's ports: the one-shot cycle (once/cycle.ts) run
 * in the controller's session as its RunCycle, and the cheap remote check its polls run first.
 */
import type { FilesApiClient } from '../../api/client.js';
import type { BackoffPolicy } from '../../execute/file-backoff.js';
import { loadIgnoreMatcher } from '../../local/ignore.js';
import type { Logger } from '../../logger.js';
import { unsafePathReason } from '../../plan/names.js';
import { runCycle, type CycleResult } from '../once/cycle.js';
import type { CheckRemote, CycleReport, CycleRequest, RunCycle } from './ports.js';
import { RemoteChecker } from './remote-check.js';

export interface EnginePortsOptions {
  /** Builds the client for one cycle; the bandwidth buckets are the controller's. */
  api: (bandwidth: CycleRequest['bandwidth']) => FilesApiClient;
  concurrency?: number;
  /** Per-file back-off across cycles (the cycle's default when absent). */
  fileBackoff?: Partial<BackoffPolicy>;
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
    failures: result.failed.map((f) => ({
      path: f.path,
      kind: f.kind,
      message: f.message,
      ...(f.nextAttemptAt === undefined ? {} : { nextAttemptAt: f.nextAttemptAt }),
    })),
  };
}

export function engineCycle(options: EnginePortsOptions): RunCycle {
  return async (request) => {
    const result = await runCycle(request.session, {
      api: options.api(request.bandwidth),
      confirmDeletes: request.confirmDeletes,
      signal: request.signal,
      skip: request.skip,
      logger: options.logger ?? request.logger,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.fileBackoff === undefined ? {} : { fileBackoff: options.fileBackoff }),
      onEvent: request.onEvent,
    });
    return toCycleReport(result);
  };
}

/**
 * Lists the remote and compares it with the base, the way a cycle would see it: the prefix
 * stripped, ignored names left out on both sides. Unsafe remote names are left out too: a cycle
 * can only refuse them, and it reported them when they first appeared. The listing is never held
 * whole, and pages found quiet before against the same base (`baseGeneration`) are not parsed
 * again (remote-check.ts).
 */
export function engineRemoteCheck(options: EnginePortsOptions): CheckRemote {
  const platform = process.platform;
  const checker = new RemoteChecker();
  return async (request) => {
    const { session } = request;
    const prefix = session.binding.prefix;
    const api = options.api(request.bandwidth);
    const ignore = await loadIgnoreMatcher(session.root);
    const rules = {
      held: new Set(request.held.flatMap((h) => h.paths)),
      relevant: (path: string) => !ignore.ignores(path) && unsafePathReason(path, platform) === null,
    };
    return checker.check((reuse) => api.listPages(prefix, { signal: request.signal, reuse }), session.state, prefix, request.baseGeneration, rules);
  };
}
