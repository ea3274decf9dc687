import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { errorOf, query, startHarness, WS, type Harness } from './harness.js';

interface UploadUrlBody {
  uploadUrl: string;
  fileKey: string;
  expiresAt: string;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function json(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

async function uploadUrl(filename: string, size: number, path = 'big/', contentType = 'application/octet-stream'): Promise<UploadUrlBody> {
  const res = await h.api('/v1/files/upload-url', json({ filename, workspace_id: WS, content_type: contentType, size, path }));
  expect(res.status).toBe(200);
  return (await res.json()) as UploadUrlBody;
}

function put(url: string, bytes: Buffer, contentType = 'application/octet-stream'): Promise<Response> {
  return fetch(url, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'Content-Type': contentType } });
}

function confirm(fileKey: string, filename: string, size: number): Promise<Response> {
  return h.api('/v1/files/upload-confirm', json({ file_key: fileKey, workspace_id: WS, filename, size }));
}

describe('three-step large upload', () => {
  it('upload-url, PUT and confirm make a listed file whose etag is the MD5 of the bytes', async () => {
    const bytes = Buffer.from('large upload body');
    const info = await uploadUrl('genome.bam', bytes.length);
    expect(info.fileKey).not.toContain('genome');
    expect(new Date(info.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const stored = await put(info.uploadUrl, bytes);
    expect(stored.status).toBe(200);
    const res = await confirm(info.fileKey, 'genome.bam', bytes.length);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as FileMeta;
    expect(meta).toMatchObject({
      key: info.fileKey,
      name: 'genome.bam',
      path: 'big/',
      size: bytes.length,
      etag: createHash('md5').update(bytes).digest('hex'),
    });
    const list = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'big/genome.bam' })}`)).json()) as {
      files: FileMeta[];
    };
    expect(list.files).toHaveLength(1);
    expect((await confirm(info.fileKey, 'genome.bam', bytes.length)).status).toBe(200);
  });

  it('keeps an uploaded but unconfirmed object out of listings', async () => {
    const info = await uploadUrl('pending.bin', 3);
    expect((await put(info.uploadUrl, Buffer.from('abc'))).status).toBe(200);
    expect(h.emu.admin.list(WS).some((f) => f.path === 'big/pending.bin')).toBe(false);
    const list = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'big/pending' })}`)).json()) as {
      files: FileMeta[];
    };
    expect(list.files).toEqual([]);
    expect((await h.api(`/v1/files/download?${query({ workspace_id: WS, key: info.fileKey })}`)).status).toBe(404);
  });

  it('refuses a PUT with another Content-Type than the one signed, with 403', async () => {
    const info = await uploadUrl('typed.csv', 3, 'big/', 'text/csv');
    const wrong = await put(info.uploadUrl, Buffer.from('a,b'), 'application/octet-stream');
    expect(wrong.status).toBe(403);
    expect((await put(info.uploadUrl, Buffer.from('a,b'), 'text/csv')).status).toBe(200);
  });

  it('answers 400 to a confirm whose size does not match the stored object', async () => {
    const info = await uploadUrl('short.bin', 10);
    expect((await put(info.uploadUrl, Buffer.from('12345'))).status).toBe(200);
    const res = await confirm(info.fileKey, 'short.bin', 10);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('size_mismatch');
    expect(h.emu.admin.list(WS).some((f) => f.path === 'big/short.bin')).toBe(false);
  });

  it('answers 400 to a PUT whose body is larger than the size declared to upload-url', async () => {
    const info = await uploadUrl('grown.bin', 3);
    const res = await put(info.uploadUrl, Buffer.from('grew!'));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('EntityTooLarge');
    expect((await confirm(info.fileKey, 'grown.bin', 5)).status).toBe(409);
  });

  it('answers 409 to a confirm before any bytes were PUT, and 404 to an unknown key', async () => {
    const info = await uploadUrl('never.bin', 4);
    const early = await confirm(info.fileKey, 'never.bin', 4);
    expect(early.status).toBe(409);
    expect((await errorOf(early)).code).toBe('not_uploaded');
    expect((await confirm('obj_unknown', 'never.bin', 4)).status).toBe(404);
  });

  it('replaces the file at the same path on confirm and removes the old bytes', async () => {
    const old = await h.emu.admin.put(WS, 'big/replace.bin', 'old');
    const info = await uploadUrl('replace.bin', 3);
    await put(info.uploadUrl, Buffer.from('new'));
    const meta = (await (await confirm(info.fileKey, 'replace.bin', 3)).json()) as FileMeta;
    expect(meta.etag).not.toBe(old.etag);
    const at = h.emu.admin.list(WS).filter((f) => f.path === 'big/replace.bin');
    expect(at.map((f) => f.key)).toEqual([info.fileKey]);
    expect((await h.api(`/v1/files/download?${query({ workspace_id: WS, key: old.key })}`)).status).toBe(404);
  });

  it('answers 400 to bad JSON, missing fields and wrong types', async () => {
    const bad = await h.api('/v1/files/upload-url', { method: 'POST', body: '{"filename": ', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('bad_json');
    const empty = await h.api('/v1/files/upload-url', { method: 'POST' });
    expect(empty.status).toBe(400);
    const missing = await h.api('/v1/files/upload-url', json({ filename: 'x', workspace_id: WS }));
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toContain('size');
    const wrongType = await h.api('/v1/files/upload-confirm', json({ file_key: 'k', workspace_id: WS, filename: 'x', size: '3' }));
    expect(wrongType.status).toBe(400);
    const notObject = await h.api('/v1/files/upload-confirm', json([1, 2]));
    expect(notObject.status).toBe(400);
    const unsafe = await h.api('/v1/files/upload-url', json({ filename: '..', workspace_id: WS, size: 1 }));
    expect(unsafe.status).toBe(400);
  });

  it('answers 411 to a presigned PUT without Content-Length', async () => {
    const info = await uploadUrl('chunked.bin', 3);
    const chunked = await fetch(info.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array([1, 2, 3]));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(chunked.status).toBe(411);
    await errorOf(chunked);
  });
});
