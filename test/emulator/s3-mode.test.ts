import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { errorOf, query, startHarness, WS, type Harness } from './harness.js';
import { startS3rver, type RunningS3 } from './s3rver.js';

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

let s3: RunningS3;
let h: Harness;
beforeAll(async () => {
  s3 = await startS3rver();
  h = await startHarness({ storage: s3.storage });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed
  await h?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed
  await s3?.close();
});

function json(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

async function downloadUrl(key: string): Promise<string> {
  const res = await h.api(`/v1/files/download?${query({ workspace_id: WS, key })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

describe('S3-compatible storage (s3rver)', () => {
  it('three-step upload: a SigV4 PUT URL of the S3 server, then confirm checks the size with HeadObject', async () => {
    const bytes = Buffer.from('bytes that go straight to the bucket');
    const info = (await (
      await h.api(
        '/v1/files/upload-url',
        json({ filename: 'big.bin', workspace_id: WS, content_type: 'application/octet-stream', size: bytes.length, path: 's3/' }),
      )
    ).json()) as { uploadUrl: string; fileKey: string };
    const url = new URL(info.uploadUrl);
    expect(url.origin).toBe(s3.storage.endpoint);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');

    const wrongType = await fetch(info.uploadUrl, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'Content-Type': 'text/plain' } });
    expect(wrongType.status).toBe(403);
    expect(
      (await h.api('/v1/files/upload-confirm', json({ file_key: info.fileKey, workspace_id: WS, filename: 'big.bin', size: bytes.length }))).status,
    ).toBe(409);

    const put = await fetch(info.uploadUrl, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(put.status).toBe(200);
    expect(h.emu.admin.list(WS).some((f) => f.path === 's3/big.bin')).toBe(false);

    const mismatch = await h.api('/v1/files/upload-confirm', json({ file_key: info.fileKey, workspace_id: WS, filename: 'big.bin', size: 3 }));
    expect(mismatch.status).toBe(400);
    expect((await errorOf(mismatch)).code).toBe('size_mismatch');

    const confirmed = await h.api(
      '/v1/files/upload-confirm',
      json({ file_key: info.fileKey, workspace_id: WS, filename: 'big.bin', size: bytes.length }),
    );
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()) as FileMeta).toMatchObject({ name: 'big.bin', path: 's3/', size: bytes.length, etag: md5(bytes) });
    expect((await h.emu.admin.read(WS, 's3/big.bin'))?.equals(bytes)).toBe(true);
  });

  it('download: a SigV4 GET URL that serves the bytes and resumes with Range (206)', async () => {
    const body = Buffer.from('0123456789abcdef');
    const stored = await h.emu.admin.put(WS, 's3/range.bin', body);
    expect(stored.etag).toBe(md5(body));
    const url = await downloadUrl(stored.key);
    expect(new URL(url).origin).toBe(s3.storage.endpoint);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true);
    const partial = await fetch(url, { headers: { Range: 'bytes=10-' } });
    expect(partial.status).toBe(206);
    expect(await partial.text()).toBe('abcdef');
  });

  it('multipart upload streams into the bucket, and delete removes the object', async () => {
    const res = await h.upload('form.txt', 'multipart into s3', { path: 's3/' });
    expect(res.status).toBe(201);
    const meta = (await res.json()) as FileMeta;
    expect(meta.etag).toBe(md5('multipart into s3'));
    expect((await h.emu.admin.read(WS, 's3/form.txt'))?.toString()).toBe('multipart into s3');
    const url = await downloadUrl(meta.key);
    expect((await h.api(`/v1/files?${query({ workspace_id: WS, key: meta.key })}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(url)).status).toBe(404);
  });

  it('tampered and already-expired S3 URLs answer 403', async () => {
    const stored = await h.emu.admin.put(WS, 's3/guarded.txt', 'guarded');
    const url = new URL(await downloadUrl(stored.key));
    const sig = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set('X-Amz-Signature', (sig.startsWith('a') ? 'b' : 'a') + sig.slice(1));
    expect((await fetch(url)).status).toBe(403);
    h.emu.faults.expiredUrls = true;
    try {
      expect((await fetch(await downloadUrl(stored.key))).status).toBe(403);
    } finally {
      h.emu.resetFaults();
    }
  });
});
