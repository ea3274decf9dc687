import { describe, expect, it } from 'vitest';
import type { BaseEntry, ListedPage, Listing, RemoteFile } from '../../../../electron/engine/model/trees.js';
import { createHash } from 'node:crypto';
import type { KnownPage, ListingPage } from '../../../../electron/engine/api/listing.js';
import {
  compareRemote,
  comparePaths,
  proveQuiet,
  RemoteChecker,
  type BaseRows,
  type CheckRules,
  type ListPages,
  type QuietListing,
  type RemoteDifference,
} from '../../../../electron/engine/sync/background/remote-check.js';

const MD5_A = '0cc175b9c0f1b6a831c399e269772661';
const MD5_B = '92eb5ffee6ae2fec3ad71c777531578f';

function base(path: string, etag: string | undefined, remoteSize = 1, remoteKey = `k/${path}`): BaseEntry {
  return { path, remoteKey, etag, remoteSize, localSize: remoteSize, localMtimeMs: 1, localIno: 1, hash: MD5_A };
}
function remote(path: string, etag: string | undefined, size = 1, key = `k/${path}`): RemoteFile {
  return { path, key, etag, size };
}

interface Row {
  name: string;
  files: RemoteFile[];
  base: BaseEntry[];
  complete?: boolean;
  held?: string[];
  differences: RemoteDifference[];
  decidable: boolean;
}

const rows: Row[] = [
  { name: 'same files, same etags and sizes: nothing', files: [remote('a', MD5_A)], base: [base('a', MD5_A)], differences: [], decidable: true },
  { name: 'an etag in quotes is the same etag', files: [remote('a', `"${MD5_A}"`)], base: [base('a', MD5_A)], differences: [], decidable: true },
  {
    name: 'a new etag: changed',
    files: [remote('a', MD5_B)],
    base: [base('a', MD5_A)],
    differences: [{ path: 'a', kind: 'changed' }],
    decidable: true,
  },
  {
    name: 'same etag, new size: changed',
    files: [remote('a', MD5_A, 2)],
    base: [base('a', MD5_A, 1)],
    differences: [{ path: 'a', kind: 'changed' }],
    decidable: true,
  },
  {
    name: 'same version under a new key: changed (a cycle records the key)',
    files: [remote('a', MD5_A, 1, 'k2')],
    base: [base('a', MD5_A, 1, 'k1')],
    differences: [{ path: 'a', kind: 'changed' }],
    decidable: true,
  },
  {
    name: 'no etags on either side, same key and size: nothing',
    files: [remote('a', undefined)],
    base: [base('a', undefined)],
    differences: [],
    decidable: true,
  },
  {
    name: 'an etag where the base had none: changed',
    files: [remote('a', MD5_A)],
    base: [base('a', undefined)],
    differences: [{ path: 'a', kind: 'changed' }],
    decidable: true,
  },
  {
    name: 'listed but not in the base: added',
    files: [remote('a', MD5_A), remote('n', MD5_B)],
    base: [base('a', MD5_A)],
    differences: [{ path: 'n', kind: 'added' }],
    decidable: true,
  },
  {
    name: 'in the base but not listed: removed',
    files: [],
    base: [base('a', MD5_A)],
    differences: [{ path: 'a', kind: 'removed' }],
    decidable: true,
  },
  {
    name: 'not listed but its deletion is held already: nothing',
    files: [],
    base: [base('a', MD5_A)],
    held: ['a'],
    differences: [],
    decidable: true,
  },
  {
    name: 'a held path that changed remotely is still a change',
    files: [remote('a', MD5_B)],
    base: [base('a', MD5_A)],
    held: ['a'],
    differences: [{ path: 'a', kind: 'changed' }],
    decidable: true,
  },
  {
    name: 'a partial listing: a missing file is no news (no cycle infers a deletion from it either)',
    files: [remote('a', MD5_A)],
    base: [base('a', MD5_A), base('b', MD5_A)],
    complete: false,
    differences: [],
    decidable: true,
  },
  {
    name: 'a partial listing still shows added and changed files',
    files: [remote('a', MD5_B), remote('n', MD5_A)],
    base: [base('a', MD5_A), base('b', MD5_A)],
    complete: false,
    differences: [
      { path: 'a', kind: 'changed' },
      { path: 'n', kind: 'added' },
    ],
    decidable: true,
  },
  {
    name: 'a path listed twice is for a full cycle to judge',
    files: [remote('a', MD5_A), remote('a', MD5_A)],
    base: [base('a', MD5_A)],
    differences: [],
    decidable: false,
  },
  { name: 'empty on both sides: nothing', files: [], base: [], differences: [], decidable: true },
];

describe('compareRemote: the remote listing against the base', () => {
  it.each(rows)('$name', (row) => {
    const result = compareRemote({ files: row.files, complete: row.complete ?? true }, row.base, new Set(row.held ?? []));
    expect(result).toEqual({ differences: row.differences, decidable: row.decidable });
  });
});

describe('comparePaths: the state database order (UTF-8 bytes)', () => {
  it.each<[string, string]>([
    ['a', 'b'],
    ['a', 'a/b'],
    ['a/b', 'a0'],
    ['A', 'a'],
    ['z', 'é'],
    ['\uffef', '😀'], // U+FFEF sorts before U+1F600 in UTF-8, after it in UTF-16
    ['\ue000', '\ud800\udc00'],
  ])('%s < %s', (a, b) => {
    expect(comparePaths(a, b)).toBeLessThan(0);
    expect(comparePaths(b, a)).toBeGreaterThan(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(-1);
  });

  it('equal paths are equal', () => {
    expect(comparePaths('d/😀.txt', 'd/😀.txt')).toBe(0);
  });
});

/** A server in memory: pages of files, digests over their content, reused pages left unparsed; counts what it was asked. */
function server(pagesOf: () => RemoteFile[][]): { list: ListPages; parsed: number[]; walks: number } {
  const seen = { parsed: [] as number[], walks: 0 };
  const list: ListPages = (reuse: ReadonlyMap<string, KnownPage>) =>
    (async function* (): AsyncGenerator<ListingPage> {
      seen.walks += 1;
      const pages = pagesOf();
      for (let i = 0; i < pages.length; i++) {
        const files = pages[i] ?? [];
        const nextCursor = i + 1 < pages.length ? `c${i + 1}` : null;
        const body = JSON.stringify({ files, nextCursor });
        const digest = createHash('sha256').update(body).digest('hex');
        const reused = reuse.has(digest);
        if (!reused) seen.parsed.push(i);
        yield {
          files: reused ? [] : files,
          last: nextCursor === null,
          complete: nextCursor === null,
          nextCursor,
          digest,
          bytes: body.length,
          reused,
        };
      }
    })();
  return {
    list,
    get parsed() {
      return seen.parsed;
    },
    get walks() {
      return seen.walks;
    },
  };
}

function rowsOf(entries: BaseEntry[]): BaseRows & { reads: number } {
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  const rows = {
    reads: 0,
    basePage(after: string, limit: number) {
      rows.reads += 1;
      return sorted.filter((e) => after === '' || comparePaths(e.path, after) > 0).slice(0, limit);
    },
  };
  return rows;
}

const rules = (held: string[] = [], ignored: string[] = []): CheckRules => ({ held: new Set(held), relevant: (p) => !ignored.includes(p) });

describe('RemoteChecker: pages merged with base pages, and pages known quiet not parsed again', () => {
  const files = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => remote(p, MD5_A));
  const synced = files.map((f) => base(f.path, MD5_A));
  const paged = (all: RemoteFile[]) => [all.slice(0, 2), all.slice(2, 4), all.slice(4)];

  it('a quiet listing is merged once with the base, then recognised page by page without parsing or reading the base', async () => {
    const checker = new RemoteChecker();
    const srv = server(() => paged(files));
    const db = rowsOf(synced);
    expect(await checker.check(srv.list, db, '', 1, rules())).toEqual({
      differences: [],
      decidable: true,
      pages: 3,
      bytes: expect.any(Number) as unknown,
      reused: false,
    });
    expect(srv.parsed).toEqual([0, 1, 2]);
    const reads = db.reads;
    expect(await checker.check(srv.list, db, '', 1, rules())).toMatchObject({ differences: [], decidable: true, pages: 3, reused: true });
    expect(srv.parsed).toEqual([0, 1, 2]);
    expect(db.reads).toBe(reads);
  });

  it('a change in a later page: the pages before it are taken as known, the rest is merged from where they ended', async () => {
    const checker = new RemoteChecker();
    let now = files;
    const srv = server(() => paged(now));
    const db = rowsOf(synced);
    await checker.check(srv.list, db, '', 1, rules());
    now = files.map((f) => (f.path === 'e' ? remote('e', MD5_B) : f));
    expect(await checker.check(srv.list, db, '', 1, rules())).toMatchObject({
      differences: [{ path: 'e', kind: 'changed' }],
      decidable: true,
      reused: false,
    });
    expect(srv.parsed).toEqual([0, 1, 2, 2]);
  });

  it('a new base generation forgets the proof: the listing is merged again', async () => {
    const checker = new RemoteChecker();
    const srv = server(() => paged(files));
    await checker.check(srv.list, rowsOf(synced), '', 1, rules());
    expect(await checker.check(srv.list, rowsOf(synced.filter((b) => b.path !== 'c')), '', 2, rules())).toMatchObject({
      differences: [{ path: 'c', kind: 'added' }],
    });
    expect(srv.parsed).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it.each<[string, RemoteFile[], BaseEntry[], CheckRules, boolean, RemoteDifference[]]>([
    [
      'added, changed and removed, in path order',
      [remote('a', MD5_B), remote('b2', MD5_A), remote('d', MD5_A)],
      [base('a', MD5_A), base('b', MD5_A), base('d', MD5_A), base('z', MD5_A)],
      rules(),
      true,
      [
        { path: 'a', kind: 'changed' },
        { path: 'b2', kind: 'added' },
        { path: 'b', kind: 'removed' },
        { path: 'z', kind: 'removed' },
      ],
    ],
    ['a partial listing infers no deletion', [remote('a', MD5_A)], [base('a', MD5_A), base('b', MD5_A)], rules(), false, []],
    [
      'held deletions and ignored names are no news',
      [remote('a', MD5_A), remote('x.swp', MD5_A)],
      [base('a', MD5_A), base('b', MD5_A)],
      rules(['b'], ['x.swp']),
      true,
      [],
    ],
  ])('%s', async (_name, listed, rows, r, complete, differences) => {
    const list: ListPages = () =>
      (async function* (): AsyncGenerator<ListingPage> {
        yield { files: listed, last: true, complete, nextCursor: null, digest: 'd', bytes: 1, reused: false };
      })();
    expect(await new RemoteChecker().check(list, rowsOf(rows), '', 1, r)).toEqual({
      differences,
      decidable: true,
      pages: 1,
      bytes: 1,
      reused: false,
    });
  });

  it('maps a prefix listing to folder-relative paths', async () => {
    const srv = server(() => [[remote('sub/a', MD5_A, 1, 'k/a'), remote('sub/b', MD5_B, 1, 'k/b'), remote('other/c', MD5_A)]]);
    expect(await new RemoteChecker().check(srv.list, rowsOf([base('a', MD5_A), base('b', MD5_A)]), 'sub/', 1, rules())).toMatchObject({
      differences: [{ path: 'b', kind: 'changed' }],
    });
  });

  it('a server listing in another order is compared path by path, with the listing held, and still recognised later', async () => {
    const checker = new RemoteChecker();
    const shuffled = [files[3], files[0], files[5], files[1], files[4], files[2]] as RemoteFile[];
    const srv = server(() => paged(shuffled));
    // The first page is out of order: the walk starts again, holding the listing.
    expect(await checker.check(srv.list, rowsOf(synced), '', 1, rules())).toMatchObject({ differences: [], decidable: true, pages: 1 + 3 });
    expect(srv.walks).toBe(2);
    expect(await checker.check(srv.list, rowsOf(synced), '', 1, rules())).toMatchObject({ differences: [], decidable: true, pages: 3, reused: true });
    expect(srv.walks).toBe(3);
  });

  it('a path listed twice is for a full cycle to judge', async () => {
    const srv = server(() => [[remote('a', MD5_A)], [remote('a', MD5_A)]]);
    expect(await new RemoteChecker().check(srv.list, rowsOf([base('a', MD5_A)]), '', 1, rules())).toMatchObject({ decidable: false });
  });
});

describe('proveQuiet: a listing a cycle holds, against the base it left', () => {
  const files = ['a', 'b', 'c', 'd', 'e'].map((p) => remote(p, MD5_A));
  const synced = files.map((f) => base(f.path, MD5_A));
  /** The listing as listAll returns it: the files, and the answers they came in (two per page). */
  const listing = (all: RemoteFile[], complete = true, perPage = 2): Listing => {
    const pages: ListedPage[] = [];
    for (let at = 0; at < all.length; at += perPage) {
      const slice = all.slice(at, at + perPage);
      const nextCursor = at + perPage < all.length ? `c${at / perPage + 1}` : null;
      pages.push({
        digest: createHash('sha256')
          .update(JSON.stringify({ files: slice, nextCursor }))
          .digest('hex'),
        nextCursor,
        count: slice.length,
      });
    }
    return { files: all, complete, pages };
  };

  it.each<[string, Listing, BaseEntry[], CheckRules, boolean]>([
    ['the base as listed: proved', listing(files), synced, rules(), true],
    ['a listed file the base lacks: not proved', listing(files), synced.slice(1), rules(), false],
    ['a base row the listing lacks: not proved', listing(files.slice(0, 4)), synced, rules(), false],
    ['another version listed: not proved', listing(files.map((f) => (f.path === 'c' ? remote('c', MD5_B) : f))), synced, rules(), false],
    ['a listing that may be partial proves nothing', listing(files, false), synced, rules(), false],
    ['a listing without its answers proves nothing', { files, complete: true }, synced, rules(), false],
    ['answers that do not account for the files prove nothing', { ...listing(files), files: [...files, remote('f', MD5_A)] }, synced, rules(), false],
    ['a listing in another order proves nothing', listing([files[1], files[0], ...files.slice(2)] as RemoteFile[]), synced, rules(), false],
    [
      'ignored names and held deletions are no news: proved',
      listing([...files, remote('x.swp', MD5_A)]),
      [...synced, base('h', MD5_A)],
      rules(['h'], ['x.swp']),
      true,
    ],
  ])('%s', (_name, listed, rows, r, proved) => {
    expect(proveQuiet(listed, rowsOf(rows), '', r) !== null).toBe(proved);
  });

  it('maps a prefix listing to folder-relative paths', () => {
    const listed = listing(files.map((f) => remote(`sub/${f.path}`, MD5_A, 1, `k/${f.path}`)));
    expect(proveQuiet(listed, rowsOf(synced), 'sub/', rules())).not.toBeNull();
    expect(proveQuiet(listed, rowsOf(synced), '', rules())).toBeNull();
  });

  it('a proved listing handed to the checker: the same pages are taken as known, with no page parsed and no base row read', async () => {
    const checker = new RemoteChecker();
    const srv = server(() => [files.slice(0, 2), files.slice(2, 4), files.slice(4)]);
    const db = rowsOf(synced);
    const proved = proveQuiet(listing(files), db, '', rules());
    expect(proved).not.toBeNull();
    const reads = db.reads;
    expect(await checker.check(srv.list, db, '', 1, rules(), proved ?? undefined)).toMatchObject({
      differences: [],
      decidable: true,
      pages: 3,
      reused: true,
    });
    expect(srv.parsed).toEqual([]);
    expect(db.reads).toBe(reads);
  });

  it('a handed-over listing that no longer matches: the pages after the known ones are merged with the base', async () => {
    const checker = new RemoteChecker();
    const srv = server(() => [files.slice(0, 2), files.slice(2, 4), [remote('e', MD5_B)]]);
    const proved = proveQuiet(listing(files), rowsOf(synced), '', rules()) ?? undefined;
    expect(await checker.check(srv.list, rowsOf(synced), '', 1, rules(), proved)).toMatchObject({
      differences: [{ path: 'e', kind: 'changed' }],
      reused: false,
    });
    expect(srv.parsed).toEqual([2]);
  });

  it("the checker's own proof of the same generation comes first", async () => {
    const checker = new RemoteChecker();
    const srv = server(() => [files.slice(0, 2), files.slice(2, 4), files.slice(4)]);
    await checker.check(srv.list, rowsOf(synced), '', 1, rules());
    const stale: QuietListing = { pages: [] };
    expect(await checker.check(srv.list, rowsOf(synced), '', 1, rules(), stale)).toMatchObject({ differences: [], reused: true });
  });
});
