/**
 * Every answer shape the contract allows, from a hand-made server: bare arrays and `{files}`,
 * `path + name` and whole-path names, quoted/weak/bare etags, missing optional fields, the three
 * download-URL field names, snake_case upload-url fields, and the incomplete-listing rule.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesApi } from '../../../electron/engine/api/client.js';
import { fakeServer, send, sendJson, tempFolder, type FakeRequest, type FakeServer } from './support.js';

let answer: (req: FakeRequest, base: string) => unknown = () => [];
let server: FakeServer;
let folder: Awaited<ReturnType<typeof tempFolder>>;
const BYTES = Buffer.from('variant bytes');

beforeAll(async () => {
  folder = await tempFolder();
  server = await fakeServer((req, res, self) => {
    if (req.path === '/storage/get') {
      send(res, 200, BYTES.toString(), 'application/octet-stream');
      return;
    }
    if (req.path === '/storage/put') {
      send(res, 200, '');
      return;
    }
    sendJson(res, 200, answer(req, self.url));
  });
});
afterAll(async () => {
  await server.close();
  await folder.remove();
});

const client = (pageSize?: number) =>
  createFilesApi({ server: `${server.url}/`, workspace: 'ws', apiKey: 'k-123456', ...(pageSize === undefined ? {} : { pageSize }) });

describe('list accepts every shape the contract allows', () => {
  it('a bare array with whole-path names, quoted and weak etags, and no optional fields', async () => {
    answer = () => [
      { key: 'k1', name: 'raw/a.txt', size: 3, etag: '"0cc175b9c0f1b6a831c399e269772661"' },
      { key: 'k2', name: 'b.txt', size: '4', etag: 'W/"abc"' },
      { key: 'k3', name: 'c.txt', path: null, size: 0 },
    ];
    const listing = await client().list();
    expect(listing).toEqual({
      complete: true,
      files: [
        { key: 'k1', path: 'raw/a.txt', size: 3, etag: '0cc175b9c0f1b6a831c399e269772661', lastModified: undefined, contentType: undefined },
        { key: 'k2', path: 'b.txt', size: 4, etag: 'abc', lastModified: undefined, contentType: undefined },
        { key: 'k3', path: 'c.txt', size: 0, etag: undefined, lastModified: undefined, contentType: undefined },
      ],
      // What a later quiet poll needs to know this page again without parsing it.
      pages: [{ count: 3, nextCursor: null, digest: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown }],
    });
  });

  it('{files} with path + name (with or without the trailing slash) and camelCase extras', async () => {
    answer = () => ({
      files: [
        { key: 'k1', name: 'a.txt', path: 'raw/', size: 1, last_modified: '2026-01-01T00:00:00Z', content_type: 'text/plain' },
        { key: 'k2', name: 'b.txt', path: 'raw/deep', size: 2, lastModified: '2026-01-02T00:00:00Z', contentType: 'x/y' },
        { key: 'k3', name: 'c.txt', path: '', size: 3 },
      ],
    });
    const { files } = await client().list();
    expect(files.map((f) => [f.path, f.lastModified, f.contentType])).toEqual([
      ['raw/a.txt', '2026-01-01T00:00:00Z', 'text/plain'],
      ['raw/deep/b.txt', '2026-01-02T00:00:00Z', 'x/y'],
      ['c.txt', undefined, undefined],
    ]);
  });

  it('follows next_cursor (or nextCursor) across pages, sending workspace, prefix, limit and cursor', async () => {
    answer = (req) => {
      const cursor = req.query.get('cursor');
      if (cursor === null)
        return {
          files: [
            { key: 'k1', name: 'p/a', size: 1 },
            { key: 'k2', name: 'p/b', size: 1 },
          ],
          next_cursor: 'c1',
        };
      if (cursor === 'c1')
        return {
          files: [
            { key: 'k3', name: 'p/c', size: 1 },
            { key: 'k4', name: 'p/d', size: 1 },
          ],
          nextCursor: 'c2',
        };
      return { files: [{ key: 'k5', name: 'p/e', size: 1 }], next_cursor: null };
    };
    server.requests.length = 0;
    const listing = await client(2).list('p/');
    expect(listing.complete).toBe(true);
    expect(listing.files.map((f) => f.key)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(
      server.requests.map((r) => [r.path, r.query.get('workspace_id'), r.query.get('prefix'), r.query.get('limit'), r.query.get('cursor')]),
    ).toEqual([
      ['/v1/files', 'ws', 'p/', '2', null],
      ['/v1/files', 'ws', 'p/', '2', 'c1'],
      ['/v1/files', 'ws', 'p/', '2', 'c2'],
    ]);
  });

  it('a page of exactly `limit` items without a cursor is flagged incomplete', async () => {
    answer = () => ({
      files: [
        { key: 'k1', name: 'a', size: 1 },
        { key: 'k2', name: 'b', size: 1 },
      ],
      next_cursor: null,
    });
    expect((await client(2).list()).complete).toBe(false);
    expect((await client(3).list()).complete).toBe(true);
    answer = () => [
      { key: 'k1', name: 'a', size: 1 },
      { key: 'k2', name: 'b', size: 1 },
    ];
    expect((await client(2).list()).complete).toBe(false);
  });

  it('a walk that ends on a full page asks for that page again one smaller, and is complete when the server pages', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    answer = (req) => {
      const from = Number(req.query.get('cursor') ?? 0);
      const limit = Number(req.query.get('limit'));
      const end = Math.min(from + limit, names.length);
      return { files: names.slice(from, end).map((n) => ({ key: n, name: n, size: 1 })), next_cursor: end < names.length ? String(end) : null };
    };
    server.requests.length = 0;
    const listing = await client(3).list();
    expect(listing).toMatchObject({ complete: true });
    expect(listing.files.map((f) => f.key)).toEqual(names);
    expect(server.requests.map((r) => [r.query.get('limit'), r.query.get('cursor')])).toEqual([
      ['3', null],
      ['3', '3'],
      ['2', '3'],
      ['2', '5'],
    ]);
  });

  it('a server that answers the smaller page in full again, with no cursor, leaves the listing incomplete with the first answer', async () => {
    answer = () => ({ files: ['a', 'b', 'c'].map((n) => ({ key: n, name: n, size: 1 })), next_cursor: null });
    const listing = await client(3).list();
    expect(listing.complete).toBe(false);
    expect(listing.files.map((f) => f.key)).toEqual(['a', 'b', 'c']);
  });

  it('a server that repeats a cursor is an invalid-response error, not an endless walk', async () => {
    answer = () => ({ files: [{ key: 'k1', name: 'a', size: 1 }], next_cursor: 'same' });
    await expect(client(1).list()).rejects.toMatchObject({ kind: 'invalid-response', code: 'cursor-loop' });
  });

  it('listPages yields one page at a time and marks the last', async () => {
    answer = (req) =>
      req.query.get('cursor') === null
        ? { files: [{ key: 'k1', name: 'a', size: 1 }], next_cursor: 'c1' }
        : { files: [{ key: 'k2', name: 'b', size: 1 }], next_cursor: null };
    const pages = [];
    for await (const page of client(1).listPages()) pages.push({ keys: page.files.map((f) => f.key), last: page.last, complete: page.complete });
    expect(pages).toEqual([
      { keys: ['k1'], last: false, complete: false },
      { keys: ['k2'], last: true, complete: false },
    ]);
  });
});

describe('stat', () => {
  it('picks the exact path out of a prefix listing', async () => {
    answer = () => ({
      files: [
        { key: 'k1', name: 'a.txt', path: 'd/', size: 1 },
        { key: 'k2', name: 'a.txt.bak', path: 'd/', size: 2 },
      ],
    });
    expect((await client().stat('d/a.txt'))?.key).toBe('k1');
    expect(await client().stat('d/a.tx')).toBeNull();
    expect(server.requests.at(-1)?.query.get('prefix')).toBe('d/a.tx');
  });
});

describe('download URL and upload URL field variants', () => {
  it.each(['url', 'download_url', 'downloadUrl'])('a download URL in `%s` is followed', async (field) => {
    answer = (req, base) => (req.path === '/v1/files/download' ? { [field]: `${base}/storage/get?sig=1` } : {});
    const dest = join(folder.path, `via-${field}.bin`);
    const result = await client().download({ key: 'k', path: 'x.bin', size: BYTES.length }, dest);
    expect(result.size).toBe(BYTES.length);
    expect(readFileSync(dest)).toEqual(BYTES);
  });

  it('upload_url and file_key are accepted from upload-url', async () => {
    writeFileSync(join(folder.path, 'up.bin'), BYTES);
    answer = (req, base) => {
      if (req.path === '/v1/files/upload-url') return { upload_url: `${base}/storage/put?sig=1`, file_key: 'fk' };
      return { key: 'fk', name: 'up.bin', path: 'in/', size: BYTES.length, etag: '"00000000000000000000000000000000-2"' };
    };
    const api = createFilesApi({ server: server.url, workspace: 'ws', apiKey: 'k-123456', largeUploadThreshold: 0 });
    const result = await api.upload(join(folder.path, 'up.bin'), 'in/up.bin');
    expect(result.file).toMatchObject({ key: 'fk', path: 'in/up.bin', etag: '00000000000000000000000000000000-2' });
    const confirm = server.requests.find((r) => r.path === '/v1/files/upload-confirm');
    expect(JSON.parse(confirm?.body.toString() ?? '{}')).toEqual({ file_key: 'fk', workspace_id: 'ws', filename: 'up.bin', size: BYTES.length });
  });
});
