/**
 * Whether a remote listing still matches the base (what both sides held at the last sync), so a
 * quiet poll can stop after one listing instead of scanning the whole folder. A listed file is no
 * news when it is the same object as the base's (model/versions.ts: same version under the same key;
 * a moved key is news because a full cycle records it).
 *
 * A poll never holds the whole listing: listings and base rows both come ordered by path, so the
 * pages are merged with base pages as they arrive. Once a listing was found quiet against a base
 * (by a poll, or by the full cycle that left that base, from its own listing: proveQuiet), its
 * pages are remembered by digest (RemoteChecker's proof): while the base stays the same, a
 * page that comes back byte for byte is neither parsed nor compared, and a poll of a workspace
 * that did not change costs little more than receiving it. From the first page that differs,
 * the rest is merged with the base rows after the last path the matching pages covered. A server
 * that lists in another order is compared the old way, with the listing held.
 */
import type { KnownPage, ListingPage } from '../../api/listing.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import type { BaseEntry, Listing, RemoteFile } from '../../model/trees.js';
import { baseRemote, sameObject } from '../../model/versions.js';

export interface RemoteDifference {
  path: string;
  kind: 'added' | 'changed' | 'removed';
}

export interface RemoteComparison {
  differences: RemoteDifference[];
  /** False when a full cycle must judge anyway: the listing names a path twice. */
  decidable: boolean;
}

/** A poll's comparison and what its listing took: pages requested, answer bytes received. */
export interface RemoteCheckResult extends RemoteComparison {
  pages: number;
  bytes: number;
  /** Every page came back as known from a listing found quiet: nothing was parsed or compared. */
  reused: boolean;
}

/**
 * `remote` holds the listed files already mapped to folder-relative paths and filtered the way a
 * cycle filters them (ignored names out). A file missing from the listing is news only when the
 * listing is complete (no cycle infers a deletion from a partial one either), and when its deletion
 * is not already waiting for the user (`held`).
 */
export function compareRemote(
  remote: { files: readonly RemoteFile[]; complete: boolean },
  base: readonly BaseEntry[],
  held: ReadonlySet<string> = new Set(),
): RemoteComparison {
  const listed = new Map<string, RemoteFile>();
  let duplicated = false;
  for (const file of remote.files) {
    if (listed.has(file.path)) duplicated = true;
    listed.set(file.path, file);
  }
  const differences: RemoteDifference[] = [];
  const inBase = new Set<string>();
  for (const row of base) {
    inBase.add(row.path);
    const file = listed.get(row.path);
    if (file === undefined) {
      if (remote.complete && !held.has(row.path)) differences.push({ path: row.path, kind: 'removed' });
    } else if (!sameObject(file, baseRemote(row))) {
      differences.push({ path: row.path, kind: 'changed' });
    }
  }
  for (const path of listed.keys()) if (!inBase.has(path)) differences.push({ path, kind: 'added' });
  return { differences, decidable: !duplicated };
}

/**
 * The order of the state database (SQLite's BINARY collation: UTF-8 bytes), which the server's
 * "ordered by relative path" is taken to be. UTF-16 code units agree with it except that
 * surrogates (characters beyond U+FFFF) sort after U+E000–U+FFFF in UTF-8.
 */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return utf8Rank(x) - utf8Rank(y);
    return x - y;
  }
  return a.length - b.length;
}

const utf8Rank = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

/** Base rows in path order, a page at a time (StateReader.basePage). */
export interface BaseRows {
  basePage(after: string, limit: number): BaseEntry[];
}

const BASE_PAGE = 5000;

/** The base rows after `after`, walked in step with a listing. */
class BaseWalk {
  private rows: BaseEntry[] = [];
  private at = 0;
  private done = false;

  constructor(
    private readonly base: BaseRows,
    private after: string,
  ) {}

  peek(): BaseEntry | undefined {
    if (this.at >= this.rows.length && !this.done) {
      this.rows = this.base.basePage(this.after, BASE_PAGE);
      this.at = 0;
      this.done = this.rows.length < BASE_PAGE;
      const last = this.rows.at(-1);
      if (last !== undefined) this.after = last.path;
    }
    return this.rows[this.at];
  }

  skip(): void {
    this.at += 1;
  }
}

export interface CheckRules {
  /** Deletions waiting for the user: their paths' absence from the listing is no news. */
  held: ReadonlySet<string>;
  /** Whether a difference at this path is news: a cycle would act on it (not ignored, a name it accepts). */
  relevant: (path: string) => boolean;
}

/** Listing files against the base rows after where the merge starts, in path order. */
class Merge {
  readonly differences: RemoteDifference[] = [];
  /** Base rows missing from the listing: news only if the listing turns out complete. */
  private readonly missing: RemoteDifference[] = [];
  /** Missing rows excused because their deletion is held or they are not synced. */
  excused = 0;
  /** The last listed path taken in (where a later merge over the same base may start). */
  lastPath: string;
  private readonly walk: BaseWalk;

  constructor(
    base: BaseRows,
    after: string,
    private readonly rules: CheckRules,
  ) {
    this.walk = new BaseWalk(base, after);
    this.lastPath = after;
  }

  /** Takes in the next files; false when they break the order (or repeat a path): the merge cannot go on. */
  add(files: readonly RemoteFile[]): boolean {
    for (const file of files) {
      if (this.lastPath !== '' && comparePaths(file.path, this.lastPath) <= 0) return false;
      this.lastPath = file.path;
      let row = this.walk.peek();
      while (row !== undefined && comparePaths(row.path, file.path) < 0) {
        this.gone(row.path);
        this.walk.skip();
        row = this.walk.peek();
      }
      if (row?.path === file.path) {
        if (!sameObject(file, baseRemote(row)) && this.rules.relevant(file.path)) this.differences.push({ path: file.path, kind: 'changed' });
        this.walk.skip();
      } else if (this.rules.relevant(file.path)) {
        this.differences.push({ path: file.path, kind: 'added' });
      }
    }
    return true;
  }

  end(complete: boolean): RemoteComparison {
    for (let row = this.walk.peek(); row !== undefined; row = this.walk.peek()) {
      this.gone(row.path);
      this.walk.skip();
    }
    return { differences: complete ? [...this.differences, ...this.missing] : this.differences, decidable: true };
  }

  private gone(path: string): void {
    if (this.rules.held.has(path) || !this.rules.relevant(path)) this.excused += 1;
    else this.missing.push({ path, kind: 'removed' });
  }
}

/** A page of a listing found quiet, as the next poll recognises it. */
interface ProofPage {
  digest: string;
  known: KnownPage;
  /** The last folder-relative path listed up to and with this page; null if the server's order is not ours. */
  lastPath: string | null;
}

/**
 * A listing found quiet against a base, page by page, as a poll recognises it. A full cycle that
 * leaves the base as its own listing shows it hands this to the next poll (proveQuiet), so that
 * poll need not parse the pages and merge them with the base again.
 */
export interface QuietListing {
  readonly pages: readonly ProofPage[];
}

/**
 * Whether a listing already held (a cycle's, with the fingerprints of its answers) is quiet
 * against the base as it is now: the same merge a poll makes, without the requests or the
 * parsing. A listing that may be partial, or whose pages do not account for its files, proves
 * nothing.
 */
export function proveQuiet(listing: Listing, base: BaseRows, prefix: string, rules: CheckRules): QuietListing | null {
  if (!listing.complete || listing.pages === undefined) return null;
  const merge = new Merge(base, '', rules);
  const pages: ProofPage[] = [];
  let at = 0;
  for (const page of listing.pages) {
    if (!merge.add(underPrefix(listing.files.slice(at, at + page.count), prefix))) return null;
    at += page.count;
    pages.push({ digest: page.digest, known: { nextCursor: page.nextCursor, count: page.count }, lastPath: merge.lastPath });
  }
  if (at !== listing.files.length || merge.end(true).differences.length > 0) return null;
  return { pages };
}

/** Lists the remote as pages, reusing (not parsing) the pages in `reuse` that come back byte for byte. */
export type ListPages = (reuse: ReadonlyMap<string, KnownPage>) => AsyncIterable<ListingPage>;

/** The listed files under the prefix, by folder-relative path. */
function underPrefix(files: readonly RemoteFile[], prefix: string): RemoteFile[] {
  if (prefix === '') return files as RemoteFile[];
  return files.filter((f) => f.path.startsWith(prefix)).map((f) => toLocalRemote(f, prefix));
}

/**
 * One folder's remote checks. It remembers the pages of the last listing found quiet against the
 * base of `generation`; a new generation (a full cycle ran, deletions were restored) forgets them,
 * unless the caller hands over a listing found quiet against that generation's base (`quiet`).
 */
export class RemoteChecker {
  private proof: { generation: number; pages: readonly ProofPage[] } | null = null;

  async check(
    list: ListPages,
    base: BaseRows,
    prefix: string,
    generation: number,
    rules: CheckRules,
    quiet?: QuietListing,
  ): Promise<RemoteCheckResult> {
    if (this.proof?.generation !== generation && quiet !== undefined) this.proof = { generation, pages: quiet.pages };
    const proof = this.proof?.generation === generation ? this.proof.pages : null;
    const reuse = new Map<string, KnownPage>(proof?.map((p) => [p.digest, p.known]) ?? []);
    const pages: ProofPage[] = [];
    const cost = { pages: 0, bytes: 0 };
    const unordered = async (): Promise<RemoteCheckResult> => {
      const result = await this.unordered(list, base, prefix, generation, rules);
      return { ...result, pages: cost.pages + result.pages, bytes: cost.bytes + result.bytes, reused: false };
    };
    let merge: Merge | null = proof === null ? new Merge(base, '', rules) : null;
    let complete = false;
    for await (const page of list(reuse)) {
      cost.pages += 1;
      cost.bytes += page.bytes;
      complete = page.complete;
      if (merge === null) {
        const expected = proof?.[pages.length];
        if (page.reused && expected?.digest === page.digest) {
          pages.push(expected);
          continue;
        }
        // The listing differs from here on: the rest is compared with the base rows after what matched.
        const after = pages.length === 0 ? '' : (pages[pages.length - 1]?.lastPath ?? null);
        if (page.reused || after === null) return unordered();
        reuse.clear();
        merge = new Merge(base, after, rules);
      }
      if (!merge.add(underPrefix(page.files, prefix))) return unordered();
      pages.push({ digest: page.digest, known: { nextCursor: page.nextCursor, count: page.files.length }, lastPath: merge.lastPath });
    }
    if (merge === null) {
      // Every page came back as the quiet listing had it.
      const whole = proof !== null && pages.length === proof.length;
      return { differences: [], decidable: whole, ...cost, reused: whole };
    }
    const result = merge.end(complete);
    // A quiet that rests on a partial walk excusing missing rows is not remembered: a complete walk might not be quiet.
    if (result.differences.length === 0 && (complete || merge.excused === 0)) this.proof = { generation, pages };
    return { ...result, ...cost, reused: false };
  }

  /** A server whose order is not ours: the listing is held and compared path by path (compareRemote). */
  private async unordered(list: ListPages, base: BaseRows, prefix: string, generation: number, rules: CheckRules): Promise<RemoteCheckResult> {
    const files: RemoteFile[] = [];
    const pages: ProofPage[] = [];
    let complete = false;
    let bytes = 0;
    for await (const page of list(new Map())) {
      bytes += page.bytes;
      files.push(...underPrefix(page.files, prefix));
      complete = page.complete;
      pages.push({ digest: page.digest, known: { nextCursor: page.nextCursor, count: page.files.length }, lastPath: null });
    }
    const rows: BaseEntry[] = [];
    for (let after = ''; ;) {
      const page = base.basePage(after, BASE_PAGE);
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < BASE_PAGE || last === undefined) break;
      after = last.path;
    }
    const comparison = compareRemote({ files, complete }, rows, rules.held);
    const differences = comparison.differences.filter((d) => rules.relevant(d.path));
    if (comparison.decidable && differences.length === 0) this.proof = { generation, pages };
    return { differences, decidable: comparison.decidable, pages: pages.length, bytes, reused: false };
  }
}
