/**
 * Listings: page by page (so a poller never holds more than one page of raw JSON), the whole
 * walk, and the exact-path check the engine runs right before it overwrites or deletes.
 */
import type { ListedPage, Listing, RemoteFile } from '../model/trees.js';
import { WsyncError } from '../errors.js';
import type { ApiCaller, DigestedAnswer } from './api-call.js';
import { parseJsonText, parseListPage } from './schemas.js';

export interface ListingPage {
  files: RemoteFile[];
  /** True on the final page. */
  last: boolean;
  /**
   * On the final page: whether the walk is known to be complete. A page of exactly `limit`
   * items without a cursor may hide more, so it is not.
   */
  complete: boolean;
  /** The cursor this page handed on (null on the last): what a caller keeps to reuse the page. */
  nextCursor: string | null;
  /** SHA-256 of the answer's bytes: equal digests are byte for byte the same page. */
  digest: string;
  /** Size of the answer. */
  bytes: number;
  /**
   * The answer was one of the `reuse` pages, so it was not parsed: `files` is empty, and the
   * caller knows the files from when it read that page.
   */
  reused: boolean;
}

/** What a caller remembers of a page it read, so that the same answer need not be parsed again. */
export interface KnownPage {
  /** The page's next cursor, as parsed then (null on a last page). */
  nextCursor: string | null;
  /** How many files it listed. */
  count: number;
}

export interface ListPagesOptions {
  signal?: AbortSignal | undefined;
  /** Pages by digest whose answer is not parsed again when it comes back byte for byte. */
  reuse?: ReadonlyMap<string, KnownPage> | undefined;
}

/** Page size the contract's servers all take (its default); asked when a larger `limit` is refused. */
export const CONTRACT_PAGE_SIZE = 100;

const LIST_PATH = '/v1/files';

/**
 * A last page of exactly `limit` items without a cursor may hide more (the contract), so that page
 * is asked for again with a limit one smaller: a server that pages answers it with a cursor and
 * then a short page, which settles that the walk is complete, at the cost of one request only
 * when a listing ends on a full page (a tree of exactly 100,000 files would otherwise never show
 * a remote deletion).
 *
 * Pages are as large as the server allows: `pageSize` starts at 1000 (the most the emulator
 * gives); a server that refuses it (400) is asked for the contract's default of 100 instead, for
 * the rest of the client's life. Larger pages are not tried: a server that silently cut a page to
 * its own maximum and sent no cursor would make a short page look like the end.
 *
 * A page whose answer is byte for byte one of `reuse` is not parsed (a quiet poll of a large
 * workspace then costs little more than receiving it); its files are the caller's to know.
 */
export async function* listPages(
  caller: ApiCaller,
  prefix: string,
  pageSize: PageSize,
  options: ListPagesOptions = {},
): AsyncGenerator<ListingPage, void, undefined> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  let size = pageSize.size;
  let limit = size;
  let fullPage: RemoteFile[] | null = null;
  for (;;) {
    const searchParams: Record<string, string> = { workspace_id: caller.workspace, limit: String(limit) };
    if (prefix !== '') searchParams.prefix = prefix;
    if (cursor !== null) searchParams.cursor = cursor;
    const spec = {
      operation: 'list',
      method: 'GET' as const,
      path: LIST_PATH,
      searchParams,
      file: prefix === '' ? undefined : prefix,
      signal: options.signal,
    };
    let answer: DigestedAnswer;
    try {
      answer = await caller.sendDigested(spec);
    } catch (err) {
      if (!(err instanceof WsyncError && err.status === 400 && size > CONTRACT_PAGE_SIZE)) throw err;
      pageSize.size = size = limit = CONTRACT_PAGE_SIZE;
      continue;
    }
    const { digest, bytes } = answer;
    const known = options.reuse?.get(digest);
    // A full last page is parsed even when known: its files may be the ones the walk ends with.
    const reusable = known !== undefined && !(known.nextCursor === null && known.count >= limit - 1);
    const source = { endpoint: `GET ${LIST_PATH}`, file: spec.file };
    const page = reusable ? null : parseListPage(parseJsonText(answer.text(), source, answer.contentType), source);
    const nextCursor = page === null ? (known?.nextCursor ?? null) : page.nextCursor;
    const count = page === null ? (known?.count ?? 0) : page.files.length;
    if (nextCursor === null) {
      const full = limit === size ? count === limit : count >= limit;
      if (full && fullPage === null && size > 2) {
        // The re-asked page decides; this one is yielded only if that one names fewer files.
        fullPage = page?.files ?? [];
        limit = size - 1;
        continue;
      }
      // A retry that did not settle it: the first answer, which named more files, stands.
      if (full && fullPage !== null && fullPage.length > count) {
        yield { files: fullPage, last: true, complete: false, nextCursor: null, digest, bytes, reused: false };
      } else {
        yield { files: page?.files ?? [], last: true, complete: !full, nextCursor: null, digest, bytes, reused: page === null };
      }
      return;
    }
    if (seen.has(nextCursor)) {
      throw new WsyncError('invalid-response', `list (GET ${LIST_PATH}): the server repeated a cursor; the listing would never end`, {
        code: 'cursor-loop',
      });
    }
    seen.add(nextCursor);
    cursor = nextCursor;
    yield { files: page?.files ?? [], last: false, complete: false, nextCursor, digest, bytes, reused: page === null };
  }
}

/** The page size a client asks for, shared by its walks: lowered for good once a server refuses it. */
export interface PageSize {
  size: number;
}

/** The whole listing, with the fingerprint of each answer (a poll after the cycle may recognise them). */
export async function listAll(caller: ApiCaller, prefix: string, pageSize: PageSize, signal?: AbortSignal): Promise<Listing> {
  const files: RemoteFile[] = [];
  const pages: ListedPage[] = [];
  let complete = false;
  for await (const page of listPages(caller, prefix, pageSize, { signal })) {
    files.push(...page.files);
    pages.push({ digest: page.digest, nextCursor: page.nextCursor, count: page.files.length });
    complete = page.complete;
  }
  return { files, complete, pages };
}

/** The file at exactly `path`: a prefix listing also returns `path.bak` and `path/x`, so pick. */
export async function statPath(caller: ApiCaller, path: string, pageSize: PageSize, signal?: AbortSignal): Promise<RemoteFile | null> {
  for await (const page of listPages(caller, path, pageSize, { signal })) {
    const found = page.files.find((f) => f.path === path);
    if (found !== undefined) return found;
  }
  return null;
}
