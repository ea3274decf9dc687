/**
 * Listings: page by page (so a poller never holds more than one page of raw JSON), the whole
 * walk, and the exact-path check the engine runs right before it overwrites or deletes.
 */
import type { Listing, RemoteFile } from '../model/trees.js';
import { WsyncError } from '../errors.js';
import type { ApiCaller } from './api-call.js';
import { parseListPage } from './schemas.js';

export interface ListingPage {
  files: RemoteFile[];
  /** True on the final page. */
  last: boolean;
  /**
   * On the final page: whether the walk is known to be complete. A page of exactly `limit`
   * items without a cursor may hide more, so it is not.
   */
  complete: boolean;
}

const LIST_PATH = '/v1/files';

/**
 * A last page of exactly `limit` items without a cursor may hide more (the contract), so that page
 * is asked for again with a limit one smaller: a server that pages answers it with a cursor and
 * then a short page, which settles that the walk is complete, at the cost of one request only
 * when a listing ends on a full page (a tree of exactly 100,000 files would otherwise never show
 * a remote deletion).
 */
export async function* listPages(
  caller: ApiCaller,
  prefix: string,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<ListingPage, void, undefined> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  let limit = pageSize;
  let fullPage: RemoteFile[] | null = null;
  for (;;) {
    const searchParams: Record<string, string> = { workspace_id: caller.workspace, limit: String(limit) };
    if (prefix !== '') searchParams['prefix'] = prefix;
    if (cursor !== null) searchParams['cursor'] = cursor;
    const spec = { operation: 'list', method: 'GET' as const, path: LIST_PATH, searchParams, file: prefix === '' ? undefined : prefix, signal };
    const page = await caller.parsed(spec, parseListPage);
    if (page.nextCursor === null) {
      const full = limit === pageSize ? page.files.length === limit : page.files.length >= limit;
      if (full && fullPage === null && pageSize > 2) {
        fullPage = page.files;
        limit = pageSize - 1;
        continue;
      }
      // A retry that did not settle it: the first answer, which named more files, stands.
      yield { files: full && fullPage !== null && fullPage.length > page.files.length ? fullPage : page.files, last: true, complete: !full };
      return;
    }
    if (seen.has(page.nextCursor)) {
      throw new WsyncError('invalid-response', `list (GET ${LIST_PATH}): the server repeated a cursor; the listing would never end`, {
        code: 'cursor-loop',
      });
    }
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
    yield { files: page.files, last: false, complete: false };
  }
}

export async function listAll(caller: ApiCaller, prefix: string, pageSize: number, signal?: AbortSignal): Promise<Listing> {
  const files: RemoteFile[] = [];
  let complete = false;
  for await (const page of listPages(caller, prefix, pageSize, signal)) {
    files.push(...page.files);
    complete = page.complete;
  }
  return { files, complete };
}

/** The file at exactly `path`: a prefix listing also returns `path.bak` and `path/x`, so pick. */
export async function statPath(caller: ApiCaller, path: string, pageSize: number, signal?: AbortSignal): Promise<RemoteFile | null> {
  for await (const page of listPages(caller, path, pageSize, signal)) {
    const found = page.files.find((f) => f.path === path);
    if (found !== undefined) return found;
  }
  return null;
}
