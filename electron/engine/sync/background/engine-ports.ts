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
import type { FolderSession } from '../once/folder-session.js';
import type { CheckRemote, CycleReport, CycleRequest, RunCycle } from './ports.js';
import { proveQuiet, RemoteChecker, type CheckRules, type ListPages, type QuietListing } from './remote-check.js';

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

/**
 * The rules a poll's comparison follows, as a cycle sees the folder: ignored names and names a
 * cycle refuses are no news, nor are deletions waiting for the user.
 */
async function checkRules(root: string, held: readonly { paths: readonly string[] }[]): Promise<CheckRules> {
  const platform = process.platform;
  const ignore = await loadIgnoreMatcher(root);
  return {
    held: new Set(held.flatMap((h) => h.paths)),
    relevant: (path: string) => !ignore.ignores(path) && unsafePathReason(path, platform) === null,
  };
}

/**
 * A cycle that wrote nothing to the server may have left the base exactly as its listing shows
 * the remote (nothing to do, or only downloads and local deletions, which record what was
 * listed): then its listing, which it holds anyway, is proved quiet against that base here, so the
 * next poll recognises the pages instead of parsing them and merging them with the base again.
 * A cycle that wrote to the server listed a remote that is no longer there: nothing to prove.
 */
async function quietListingOf(result: CycleResult, session: FolderSession): Promise<QuietListing | undefined> {
  const c = result.counts;
  if (result.listed === null || c.uploaded + c.deletedRemote + c.movedRemote > 0) return undefined;
  const rules = await checkRules(session.root, result.held);
  return proveQuiet(result.listed, session.state, session.binding.prefix, rules) ?? undefined;
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
    return { ...toCycleReport(result), quietListing: await quietListingOf(result, request.session) };
  };
}

/**
 * Lists the remote and compares it with the base, the way a cycle would see it: the prefix
 * stripped, ignored names left out on both sides. Unsafe remote names are left out too: a cycle
 * can only refuse them, and it reported them when they first appeared. The listing is never held
 * whole, and pages found quiet before against the same base (`baseGeneration`), by an earlier
 * poll or by the cycle that left that base, are not parsed again (remote-check.ts).
 */
export function engineRemoteCheck(options: EnginePortsOptions): CheckRemote {
  const checker = new RemoteChecker();
  return async (request) => {
    const { session } = request;
    const prefix = session.binding.prefix;
    const api = options.api(request.bandwidth);
    const rules = await checkRules(session.root, request.held);
    const list: ListPages = (reuse) => api.listPages(prefix, { signal: request.signal, reuse });
    return checker.check(list, session.state, prefix, request.baseGeneration, rules, request.quietListing);
  };
}
