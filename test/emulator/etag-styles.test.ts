/**
 * The emulator's etag styles: plain MD5 (default), S3 multipart (`<md5 of part MD5s>-<parts>`),
 * and SSE-KMS (opaque 32 hex digits, storage responses naming the encryption).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { parseConfigFile } from '../../emulator/config.js';
import { query, startHarness, WS, type Harness } from './harness.js';

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function listed(harness: Harness, path: string): Promise<FileMeta> {
  const body = (await (await harness.api(`/v1/files?${query({ workspace_id: WS, prefix: path })}`)).json()) as { files: FileMeta[] };
  const [file] = body.files;
  if (file === undefined) throw new Error(`${path} not listed`);
  return file;
}

async function storageGet(harness: Harness, key: string): Promise<Response> {
  const { url } = (await (await harness.api(`/v1/files/download?${query({ workspace_id: WS, key })}`)).json()) as { url: string };
  return fetch(url);
}

describe('emulator etag styles', () => {
  it("multipart: a file above the part size gets S3's multipart etag (checked against a vector computed with Python's hashlib), the storage ETag agrees", async () => {
    h = await startHarness({ etags: { kind: 'multipart', partSize: 1024 } });
    const meta = (await (await h.upload('big.bin', 'a'.repeat(2500))).json()) as FileMeta;
    expect(meta.etag).toBe('fb48b83ba285c2c46247364c82e14c9e-3');
    expect((await listed(h, 'big.bin')).etag).toBe(meta.etag);
    const res = await storageGet(h, meta.key);
    expect(res.headers.get('etag')).toBe(`"${meta.etag}"`);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('a'.repeat(2500));
  });

  it('multipart: a file at or below the part size keeps a plain MD5 (uploaded in one PUT)', async () => {
    h = await startHarness({ etags: { kind: 'multipart', partSize: 1024 } });
    const meta = (await (await h.upload('small.txt', 'b'.repeat(1024))).json()) as FileMeta;
    expect(meta.etag).toBe(md5('b'.repeat(1024)));
  });

  it('multipart: seeded files (admin.put) and the three-step large upload get the same etag as a form upload', async () => {
    h = await startHarness({ etags: { kind: 'multipart', partSize: 1024 } });
    const stored = await h.emu.admin.put(WS, 'seeded.bin', 'a'.repeat(2500));
    expect(stored.etag).toBe('fb48b83ba285c2c46247364c82e14c9e-3');
    const start = await h.api('/v1/files/upload-url', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'large.bin', workspace_id: WS, content_type: 'application/octet-stream', size: 2500 }),
    });
    const { uploadUrl, fileKey } = (await start.json()) as { uploadUrl: string; fileKey: string };
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'a'.repeat(2500), headers: { 'content-type': 'application/octet-stream' } })).status).toBe(
      200,
    );
    const confirm = await h.api('/v1/files/upload-confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_key: fileKey, workspace_id: WS, filename: 'large.bin', size: 2500 }),
    });
    expect(((await confirm.json()) as FileMeta).etag).toBe('fb48b83ba285c2c46247364c82e14c9e-3');
  });

  it('kms: etags are 32 hex digits that are not the MD5, differ for equal bytes under two keys, and storage names aws:kms', async () => {
    h = await startHarness({ etags: { kind: 'kms' } });
    const one = (await (await h.upload('one.txt', 'same bytes')).json()) as FileMeta;
    const two = (await (await h.upload('two.txt', 'same bytes')).json()) as FileMeta;
    expect(one.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(one.etag).not.toBe(md5('same bytes'));
    expect(two.etag).not.toBe(one.etag);
    const res = await storageGet(h, one.key);
    expect(res.headers.get('x-amz-server-side-encryption')).toBe('aws:kms');
    expect(res.headers.get('etag')).toBe(`"${one.etag}"`);
    expect(await res.text()).toBe('same bytes');
  });

  it('md5 (default): storage responses name no encryption', async () => {
    h = await startHarness();
    const meta = (await (await h.upload('x.txt', 'x')).json()) as FileMeta;
    expect(meta.etag).toBe(md5('x'));
    expect((await storageGet(h, meta.key)).headers.get('x-amz-server-side-encryption')).toBeNull();
  });

  it('the config file takes an etag style, with a default part size of 8 MiB, and refuses unknown ones', () => {
    expect(parseConfigFile('{"etags":{"kind":"multipart"}}', 'c.json').etags).toEqual({ kind: 'multipart', partSize: 8 * 1024 * 1024 });
    expect(parseConfigFile('{"etags":{"kind":"kms"}}', 'c.json').etags).toEqual({ kind: 'kms' });
    expect(() => parseConfigFile('{"etags":{"kind":"sha1"}}', 'c.json')).toThrow(/etags/);
  });
});
