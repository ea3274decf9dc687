/**
 * The engine's implementations of the controller's ports: the one-shot cycle (once/cycle.ts) run
 * in the controller's session as its RunCycle, and the cheap remote check its polls run first.
 */
import type { FilesApiClient } from '../../api/client.js';
import { loadIgnoreMatcher } from '../../local/ignore.js';
import type { Logger } from '../../logger.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import { unsafePathReason } from '../../plan/names.js';
import type { Platform } from '../../plan/types.js';
import { runCycle, type CycleResult } from '../once/cycle.js';
import { readBase } from '../once/trees.js';
import type { CheckRemote, CycleReport, CycleRequest, RunCycle } from './ports.js';
import { addListed, baseDigest, compareRemote, listingDigest, VersionDigest } from './remote-check.js';

export interface EnginePortsOptions {
  /** Builds the client for one cycle; the bandwidth buckets are the controller's. */
  api: (bandwidth: CycleRequest['bandwidth']) => FilesApiClient;
  concurrency?: number;
  logger?: Logger;
}

/** Anything moved or was found moved on either side: the poll returns to its short interval. */
export function somethingChanged(result: CycleResult): boolean {
  const c = result.counts;
  return c.uploaded + c.downloaded + c.deletedRemote + c.deletedLocal + c.renamedLocal + c.movedRemote + c.forgotten + c.conflicts > 0;
}

/**
 * A cycle whose one pass found nothing to do left the base exactly as that pass's listing: the
 * report carries the listing's fingerprint, so the next poll that lists the same needs no base read.
 */
export function toCycleReport(result: CycleResult, prefix: string): CycleReport {
  const quiet = result.inSync && result.passes === 1 && result.plan.actions.length === 0 && result.listed !== null;
  return {
    changed: somethingChanged(result),
    held: result.held.map((h) => ({ side: h.side, paths: [...h.paths], syncedCount: h.syncedCount })),
    failures: result.failed.map((f) => ({ path: f.path, kind: f.kind, message: f.message })),
    ...(quiet && result.listed !== null ? { quietListing: listingDigest(result.listed.files, prefix) } : {}),
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
      onEvent: request.onEvent,
    });
    return toCycleReport(result, request.session.binding.prefix);
  };
}

/** Listings found quiet against one base are few (ignored or held names); this only bounds a pathological server. */
const MAX_QUIET_LISTINGS = 16;

/**
 * Lists the remote and compares it with the base, the way a cycle would see it: the prefix
 * stripped, ignored names left out on both sides. Unsafe remote names are left out too: a cycle
 * can only refuse them, and it reported them when they first appeared. Each path is compared on
 * its own, so the names are filtered after comparing: only the few differing paths are matched.
 *
 * The listing is first only fingerprinted, page by page, and never held whole: when it is the one
 * the last full cycle found nothing to do against (`quietListing`), or while the base stays the
 * same (`baseGeneration`) one already found quiet, the poll is over without reading a base row or
 * keeping 100,000 listed files alive. Only a listing that may differ is fetched whole and compared.
 */
export function engineRemoteCheck(options: EnginePortsOptions): CheckRemote {
  const platform = process.platform as Platform;
  let quiet: { generation: number; listings: Set<string> } = { generation: Number.NaN, listings: new Set() };
  return async (request) => {
    const { session } = request;
    const prefix = session.binding.prefix;
    const api = options.api(request.bandwidth);
    const known = quiet.generation === request.baseGeneration ? quiet.listings : new Set<string>();
    if (request.quietListing !== undefined) known.add(request.quietListing);
    if (known.size > 0) {
      const streamed = new VersionDigest();
      for await (const page of api.listPages(prefix, { signal: request.signal })) addListed(streamed, page.files, prefix);
      if (known.has(streamed.digest())) return { differences: [], decidable: true };
    }
    const listing = await api.list(prefix, { signal: request.signal });
    const files = prefix === '' ? listing.files : listing.files.filter((f) => f.path.startsWith(prefix)).map((f) => toLocalRemote(f, prefix));
    const listed = listingDigest(files);
    const base = [...(await readBase(session.state)).values()];
    if (quiet.generation !== request.baseGeneration || quiet.listings.size >= MAX_QUIET_LISTINGS) {
      quiet = { generation: request.baseGeneration, listings: new Set([baseDigest(base)]) };
    }
    if (quiet.listings.has(listed)) return { differences: [], decidable: true };
    const comparison = compareRemote({ files, complete: listing.complete }, base, new Set(request.held.flatMap((h) => h.paths)));
    const ignore = comparison.differences.length === 0 ? null : await loadIgnoreMatcher(session.root);
    const synced = (path: string): boolean => ignore === null || (!ignore.ignores(path) && unsafePathReason(path, platform) === null);
    const result = { ...comparison, differences: comparison.differences.filter((d) => synced(d.path)) };
    if (result.decidable && result.differences.length === 0) quiet.listings.add(listed);
    return result;
  };
}
