/**
 * What a poll needs of a listing: each page's digest and size, pages it already knows left
 * unparsed, and pages as large as the server takes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesApi, type KnownPage, type ListingPage } from '../../../electron/engine/api/client.js';
import { fakeServer, sendJson, startRig, WS, type ClientRig, type FakeServer } from './support.js';

let rig: ClientRig;

beforeAll(async () => {
  rig = await startRig();
  for (let i = 0; i < 25; i++) await rig.emu.admin.put(WS, `d/f${String(i).padStart(2, '0')}.txt`, `file ${i}`);
});
afterAll(() => rig.close());

async function pages(iterable: AsyncIterable<ListingPage>): Promise<ListingPage[]> {
  const all: ListingPage[] = [];
  for await (const page of iterable) all.push(page);
  return all;
}

describe('listPages', () => {
  it("gives each page's digest, size and cursor; the same listing twice has the same digests", async () => {
    const api = rig.client({ pageSize: 10 });
    const first = await pages(api.listPages());
    const again = await pages(api.listPages());
    expect(first.map((p) => p.files.length)).toEqual([10, 10, 5]);
    expect(first.every((p) => /^[0-9a-f]{64}$/.test(p.digest) && p.bytes > 0 && !p.reused)).toBe(true);
    expect(again.map((p) => p.digest)).toEqual(first.map((p) => p.digest));
    expect(new Set(first.map((p) => p.digest)).size).toBe(3);
    expect(first.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
  });

  it('leaves a page it knows byte for byte unparsed and follows the cursor it knew; a changed page is parsed', async () => {
    const api = rig.client({ pageSize: 10 });
    const first = await pages(api.listPages());
    const reuse = new Map<string, KnownPage>(first.map((p) => [p.digest, { nextCursor: p.nextCursor, count: p.files.length }]));
    await rig.emu.admin.put(WS, 'd/f24.txt', 'changed on the server');
    const next = await pages(api.listPages('', { reuse }));
    expect(next.map((p) => [p.reused, p.files.length])).toEqual([
      [true, 0],
      [true, 0],
      [false, 5],
    ]);
    expect(next[2]?.files.at(-1)?.path).toBe('d/f24.txt');
    expect(next[2]?.digest).not.toBe(first[2]?.digest);
  });

  it('parses a known last page that is full: a server that never pages may end the walk with its files', async () => {
    const files = Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, name: `f${String(i).padStart(2, '0')}`, size: 1 }));
    const body = (limit: number) => JSON.stringify(files.slice(0, limit));
    const server = await fakeServer((req, res) => sendJson(res, 200, JSON.parse(body(Number(req.query.get('limit')))) as unknown));
    try {
      const api = createFilesApi({ server: server.url, workspace: 'ws', apiKey: 'k-123456', pageSize: 25 });
      const full = createHash('sha256').update(body(25)).digest('hex');
      const walk = await pages(api.listPages('', { reuse: new Map([[full, { nextCursor: null, count: 25 }]]) }));
      // Asked again one smaller, it still answers a full page: the first answer, with every file, stands.
      expect(walk.map((p) => [p.reused, p.files.length, p.complete])).toEqual([[false, 25, false]]);
    } finally {
      await server.close();
    }
  });

  it('reads a page that arrives in pieces split inside characters: the same files, and the digest of the bytes sent', async () => {
    const files = [
      { key: 'k1', name: 'résumé-☃.txt', size: 3 },
      { key: 'k2', name: 'données/𝄞 score.vcf', size: 5 },
    ];
    const body = Buffer.from(JSON.stringify({ files }), 'utf8');
    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Three bytes at a time, flushed one by one: most pieces end in the middle of a character.
      let at = 0;
      const next = (): void => {
        if (at >= body.length) return void res.end();
        res.write(body.subarray(at, (at += 3)), next);
      };
      next();
    });
    try {
      const api = createFilesApi({ server: server.url, workspace: 'ws', apiKey: 'k-123456' });
      const [page] = await pages(api.listPages());
      expect(page?.files.map((f) => f.path)).toEqual(['résumé-☃.txt', 'données/𝄞 score.vcf']);
      expect(page?.digest).toBe(createHash('sha256').update(body).digest('hex'));
      expect(page?.bytes).toBe(body.length);
    } finally {
      await server.close();
    }
  });
});

describe('page size', () => {
  let server: FakeServer;
  const names = Array.from({ length: 150 }, (_, i) => `f${String(i).padStart(3, '0')}`);
  beforeAll(async () => {
    server = await fakeServer((req, res) => {
      const limit = Number(req.query.get('limit'));
      if (limit > 100) {
        sendJson(res, 400, { error: { code: 'invalid_limit', message: 'limit must be from 1 to 100' } });
        return;
      }
      const from = Number(req.query.get('cursor') ?? '0');
      const end = Math.min(from + limit, names.length);
      sendJson(res, 200, {
        files: names.slice(from, end).map((name) => ({ key: `k-${name}`, name, size: 1 })),
        next_cursor: end < names.length ? String(end) : null,
      });
    });
  });
  afterAll(() => server.close());

  it('asks for 1000 files a page; a server that refuses is asked for 100, for the rest of the client’s life', async () => {
    const api = createFilesApi({ server: server.url, workspace: 'ws', apiKey: 'k-123456' });
    expect((await api.list()).files.length).toBe(150);
    expect((await api.list()).complete).toBe(true);
    expect(server.requests.map((r) => r.query.get('limit'))).toEqual(['1000', '100', '100', '100', '100']);
  });
});
