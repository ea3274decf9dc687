import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, query, startHarness, WS, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxUploadBytes: 1000 });
});
afterAll(async () => {
  await h.close();
});

const ENDPOINTS: { name: string; path: string; init: RequestInit }[] = [
  { name: 'list', path: `/v1/files?${query({ workspace_id: WS })}`, init: {} },
  { name: 'download', path: `/v1/files/download?${query({ workspace_id: WS, key: 'k' })}`, init: {} },
  { name: 'delete', path: `/v1/files?${query({ workspace_id: WS, key: 'k' })}`, init: { method: 'DELETE' } },
  { name: 'upload', path: '/v1/files/upload', init: { method: 'POST', body: new FormData() } },
  { name: 'upload-url', path: '/v1/files/upload-url', init: { method: 'POST', body: '{}' } },
  { name: 'upload-confirm', path: '/v1/files/upload-confirm', init: { method: 'POST', body: '{}' } },
];

describe('authentication', () => {
  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: 401 without a key or with an unknown key, 403 for a key without the files scope`, async () => {
      const none = await fetch(`${h.emu.url}${endpoint.path}`, endpoint.init);
      expect(none.status).toBe(401);
      expect((await errorOf(none)).code).toBe('unauthorized');
      const unknown = await fetch(`${h.emu.url}${endpoint.path}`, { ...endpoint.init, headers: { Authorization: 'Bearer nope' } });
      expect(unknown.status).toBe(401);
      const noScope = await fetch(`${h.emu.url}${endpoint.path}`, {
        ...endpoint.init,
        headers: { Authorization: 'Bearer no-scope-key' },
      });
      expect(noScope.status).toBe(403);
      expect((await errorOf(noScope)).code).toBe('forbidden');
    });
  }

  it('answers 403 when the key may not use the workspace, on every endpoint', async () => {
    const other = { Authorization: 'Bearer other-ws-key' };
    const stored = await h.emu.admin.put(WS, 'private.txt', 'p');
    const list = await fetch(`${h.emu.url}/v1/files?${query({ workspace_id: WS })}`, { headers: other });
    expect(list.status).toBe(403);
    await errorOf(list);
    const dl = await fetch(`${h.emu.url}/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`, { headers: other });
    expect(dl.status).toBe(403);
    const del = await fetch(`${h.emu.url}/v1/files?${query({ workspace_id: WS, key: stored.key })}`, {
      method: 'DELETE',
      headers: other,
    });
    expect(del.status).toBe(403);
    const form = new FormData();
    form.set('workspace_id', WS);
    form.set('file', new Blob(['x']), 'x.txt');
    expect((await fetch(`${h.emu.url}/v1/files/upload`, { method: 'POST', body: form, headers: other })).status).toBe(403);
    const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: other });
    expect((await fetch(`${h.emu.url}/v1/files/upload-url`, json({ filename: 'x', workspace_id: WS, size: 1 }))).status).toBe(403);
    expect((await fetch(`${h.emu.url}/v1/files/upload-confirm`, json({ file_key: 'k', workspace_id: WS, filename: 'x', size: 1 }))).status).toBe(403);
    expect((await h.api(`/v1/files?${query({ workspace_id: 'ws_unknown' })}`)).status).toBe(403);
    expect(h.emu.admin.list(WS).some((f) => f.path === 'private.txt')).toBe(true);
  });
});

describe('size limit', () => {
  it('answers 413 to an upload whose declared length is far over the limit, without reading it', async () => {
    const form = new FormData();
    form.set('workspace_id', WS);
    form.set('file', new Blob([new Uint8Array(2_100_000)]), 'big.bin');
    const res = await h.api('/v1/files/upload', { method: 'POST', body: form });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');
  });

  it('answers 413 to a file just over the limit, found while streaming, and stores nothing', async () => {
    expect((await h.upload('fits.bin', Buffer.alloc(1000))).status).toBe(201);
    const res = await h.upload('over.bin', Buffer.alloc(1001));
    expect(res.status).toBe(413);
    await errorOf(res);
    expect(h.emu.admin.list(WS).some((f) => f.path === 'over.bin')).toBe(false);
  });

  it('answers 413 to an oversized JSON body', async () => {
    const res = await h.api('/v1/files/upload-url', { method: 'POST', body: `{"x":"${'a'.repeat(70_000)}"}` });
    expect(res.status).toBe(413);
  });
});

describe('malformed requests', () => {
  it('answers unknown routes with 404 JSON and wrong methods with 405 JSON', async () => {
    const unknown = await h.api('/v2/nothing');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');
    const wrongMethod = await h.api('/v1/files/upload', { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    await errorOf(wrongMethod);
    expect(
      h.emu
        .requests()
        .filter((r) => r.kind === 'other')
        .map((r) => r.status),
    ).toEqual([404, 405]);
  });

  it('answers a truncated multipart body with 400', async () => {
    const boundary = 'XyZ';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="workspace_id"\r\n\r\n${WS}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.txt"\r\n\r\nabc`;
    const res = await h.api('/v1/files/upload', {
      method: 'POST',
      body,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.status).toBe(400);
    await errorOf(res);
  });

  it('answers a body longer than its Content-Length with JSON errors and closes, without hanging', async () => {
    const body = '{"filename":"x","workspace_id":"ws_test","size":1}';
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.emu.port, '127.0.0.1', () => {
        socket.write(
          'POST /v1/files/upload-url HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-key\r\n' +
            `Content-Type: application/json\r\nContent-Length: 20\r\n\r\n${body}`,
        );
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['400', '400']);
    expect(raw).toContain('"bad_json"');
    expect(raw).toContain('"error":{"code":"bad_request"');
  });

  it('answers a body shorter than its Content-Length once the client gives up, and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${h.emu.url}/v1/files/upload-url`, {
        method: 'POST',
        headers: { Authorization: 'Bearer test-key', 'Content-Length': '100' },
      });
      req.on('error', () => resolve());
      req.write('{"filename":');
      setTimeout(() => req.destroy(), 50);
    });
    expect((await h.api(`/v1/files?${query({ workspace_id: WS })}`)).status).toBe(200);
  });
});

describe('restart', () => {
  it('keeps metadata and bytes across a restart on the same data folder', async () => {
    const first = await startHarness();
    const dataDir = first.dataDir;
    const stored = await first.emu.admin.put(WS, 'kept/file.txt', 'survives');
    await first.emu.close();
    const second = await startHarness({}, dataDir);
    try {
      expect(second.emu.admin.list(WS)).toEqual([stored]);
      const { url } = (await (await second.api(`/v1/files/download?${query({ workspace_id: WS, key: stored.key })}`)).json()) as {
        url: string;
      };
      expect(await (await fetch(url)).text()).toBe('survives');
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
