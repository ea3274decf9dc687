import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { errorOf, query, startHarness, WS, type Harness } from './harness.js';

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

interface ListBody {
  files: FileMeta[];
  next_cursor: string | null;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('multipart upload', () => {
  it('stores the file and answers its FileMeta with folder path, name, size and MD5 etag', async () => {
    const res = await h.upload('sample.vcf', 'hello world', { path: 'raw/', description: 'first' });
    expect(res.status).toBe(201);
    const meta = (await res.json()) as FileMeta;
    expect(meta).toMatchObject({ name: 'sample.vcf', path: 'raw/', size: 11, etag: md5('hello world'), description: 'first' });
    expect(meta.key).not.toContain('sample');
    expect(new Date(meta.last_modified).getTime()).not.toBeNaN();
    expect((await h.emu.admin.read(WS, 'raw/sample.vcf'))?.toString()).toBe('hello world');
  });

  it('replaces a file uploaded to the same path, with a new etag and one listing entry', async () => {
    const first = (await (await h.upload('same.txt', 'one', { path: 'rep' })).json()) as FileMeta;
    const second = (await (await h.upload('same.txt', 'two!', { path: 'rep' })).json()) as FileMeta;
    expect(second.path).toBe('rep/');
    expect(second.etag).not.toBe(first.etag);
    const list = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'rep/' })}`)).json()) as ListBody;
    expect(list.files.map((f) => [f.name, f.size, f.key])).toEqual([['same.txt', 4, second.key]]);
  });

  it('keeps names with spaces and non-ASCII characters exactly', async () => {
    const res = await h.upload('échantillon 1.vcf', 'x', { path: 'résultats/' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as FileMeta).name).toBe('échantillon 1.vcf');
    expect(h.emu.admin.list(WS).some((f) => f.path === 'résultats/échantillon 1.vcf')).toBe(true);
  });

  it('refuses a name with a .. segment or a NUL with 400', async () => {
    expect((await errorOf(await h.upload('../escape.txt', 'x'))).code).toBe('invalid_name');
    expect((await h.upload('ok.txt', 'x', { path: 'a/../b/' })).status).toBe(400);
    expect((await h.upload('nul\0.txt', 'x')).status).toBe(400);
  });

  it('answers 400 when the file part or workspace_id is missing', async () => {
    const noFile = new FormData();
    noFile.set('workspace_id', WS);
    const res = await h.api('/v1/files/upload', { method: 'POST', body: noFile });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('missing_field');

    const noWorkspace = new FormData();
    noWorkspace.set('file', new Blob(['x']), 'x.txt');
    expect((await h.api('/v1/files/upload', { method: 'POST', body: noWorkspace })).status).toBe(400);
  });

  it('accepts workspace_id in the query string when the form lacks it', async () => {
    const form = new FormData();
    form.set('file', new Blob(['q']), 'query-ws.txt');
    const res = await h.api(`/v1/files/upload?${query({ workspace_id: WS })}`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(h.emu.admin.list(WS).some((f) => f.path === 'query-ws.txt')).toBe(true);
  });

  it('answers 400 to a body that is not multipart', async () => {
    const res = await h.api('/v1/files/upload', { method: 'POST', body: 'plain', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(400);
    await errorOf(res);
  });
});

describe('list', () => {
  it('filters on a prefix, orders by relative path, and finds one exact path', async () => {
    await h.emu.admin.put(WS, 'lst/b.txt', 'b');
    await h.emu.admin.put(WS, 'lst/a/z.txt', 'z');
    await h.emu.admin.put(WS, 'lst/a.txt', 'a');
    await h.emu.admin.put(WS, 'lstx.txt', 'no');
    const res = await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'lst/' })}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ListBody;
    expect(body.files.map((f) => f.path + f.name)).toEqual(['lst/a.txt', 'lst/a/z.txt', 'lst/b.txt']);
    expect(body.next_cursor).toBeNull();
    const exact = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'lst/b.txt' })}`)).json()) as ListBody;
    expect(exact.files.map((f) => f.name)).toEqual(['b.txt']);
  });

  it('treats wildcard characters in the prefix literally', async () => {
    await h.emu.admin.put(WS, 'glob[1]/*.txt', 'g');
    await h.emu.admin.put(WS, 'glob1/x.txt', 'g');
    const body = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'glob[1]/' })}`)).json()) as ListBody;
    expect(body.files.map((f) => f.path + f.name)).toEqual(['glob[1]/*.txt']);
  });

  it('answers 400 to a bad limit or cursor', async () => {
    for (const limit of ['0', '1001', 'abc', '-5', '2.5']) {
      const res = await h.api(`/v1/files?${query({ workspace_id: WS, limit })}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid_limit');
    }
    const res = await h.api(`/v1/files?${query({ workspace_id: WS, cursor: 'not-a-cursor' })}`);
    expect(res.status).toBe(400);
  });

  it('answers 400 without workspace_id', async () => {
    const res = await h.api('/v1/files');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('missing_parameter');
  });
});

describe('download', () => {
  it('hands out a presigned URL that serves the bytes with an ETag and no API key', async () => {
    const stored = await h.emu.admin.put(WS, 'dl/data.bin', Buffer.from('0123456789'));
    const res = await h.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; expires_in: number };
    expect(body.expires_in).toBe(3600);
    const bytes = await fetch(body.url);
    expect(bytes.status).toBe(200);
    const head = await fetch(body.url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '10']);
    expect(bytes.headers.get('etag')).toBe(`"${stored.etag}"`);
    expect(await bytes.text()).toBe('0123456789');
  });

  it('resumes with Range: bytes=N- as 206 and refuses a range past the end with 416', async () => {
    const stored = await h.emu.admin.put(WS, 'dl/range.bin', Buffer.from('0123456789'));
    const { url } = (await (await h.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`)).json()) as {
      url: string;
    };
    const partial = await fetch(url, { headers: { Range: 'bytes=4-' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 4-9/10');
    expect(await partial.text()).toBe('456789');
    const bounded = await fetch(url, { headers: { Range: 'bytes=2-3' } });
    expect(await bounded.text()).toBe('23');
    expect((await fetch(url, { headers: { Range: 'bytes=10-' } })).status).toBe(416);
  });

  it('uploads and serves an empty file', async () => {
    const meta = (await (await h.upload('empty.txt', '')).json()) as FileMeta;
    expect([meta.size, meta.etag]).toEqual([0, md5('')]);
    const { url } = (await (await h.api(`/v1/files/download?${query({ workspace_id: WS, key: meta.key })}`)).json()) as {
      url: string;
    };
    const res = await fetch(url);
    expect([res.status, await res.text()]).toEqual([200, '']);
  });

  it('answers 404 to an unknown key', async () => {
    const res = await h.api(`/v1/files/download?${query({ workspace_id: WS, key: 'obj_nope' })}`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });

  it('refuses a tampered signature or object with 403', async () => {
    const stored = await h.emu.admin.put(WS, 'dl/t.bin', 'secret');
    const other = await h.emu.admin.put(WS, 'dl/u.bin', 'other');
    const { url } = (await (await h.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`)).json()) as {
      url: string;
    };
    const u = new URL(url);
    const sig = u.searchParams.get('signature') ?? '';
    u.searchParams.set('signature', (sig.startsWith('a') ? 'b' : 'a') + sig.slice(1));
    expect((await fetch(u)).status).toBe(403);
    const moved = new URL(url.replace(stored.key, other.key));
    expect((await fetch(moved)).status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set('expires', String(Number(longer.searchParams.get('expires')) + 100));
    expect((await fetch(longer)).status).toBe(403);
    const unsigned = new URL(url);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);
  });

  it('refuses an expired URL with 403', async () => {
    const short = await startHarness({ presignTtlSeconds: 1 });
    try {
      const stored = await short.emu.admin.put(WS, 'e.bin', 'x');
      const { url } = (await (await short.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`)).json()) as { url: string };
      expect((await fetch(url)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(url);
      expect(res.status).toBe(403);
    } finally {
      await short.close();
    }
  });
});

describe('delete', () => {
  it('removes the file (204), after which list and download no longer know it (404)', async () => {
    const stored = await h.emu.admin.put(WS, 'del/gone.txt', 'bye');
    const res = await h.api(`/v1/files?${query({ workspace_id: WS, key: stored.key })}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(h.emu.admin.list(WS).some((f) => f.path === 'del/gone.txt')).toBe(false);
    const again = await h.api(`/v1/files?${query({ workspace_id: WS, key: stored.key })}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    await errorOf(again);
    expect((await h.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`)).status).toBe(404);
  });

  it('answers 400 without a key', async () => {
    const res = await h.api(`/v1/files?${query({ workspace_id: WS })}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
  });
});
