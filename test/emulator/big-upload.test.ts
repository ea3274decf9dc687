import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { query, startHarness, WS, type Harness } from './harness.js';

const SIZE = 600_000_000;
const CHUNK = 64 * 1024;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxUploadBytes: 500_000_000 });
});
afterAll(async () => {
  await h.close();
});

/** 600 MB made up on the fly: each 64 KiB stamped with its index so order matters to the MD5. */
function generated(size: number, md5: ReturnType<typeof createHash>): Readable {
  const base = Buffer.alloc(CHUNK, 0x5a);
  let sent = 0;
  let index = 0;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.from(base.subarray(0, Math.min(CHUNK, size - sent)));
      chunk.writeUInt32BE(index, 0);
      index += 1;
      sent += chunk.length;
      md5.update(chunk);
      this.push(chunk);
    },
  });
}

function putStream(url: string, body: Readable, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

describe('a 600 MB upload through the three-step flow', () => {
  it('streams to storage and confirms, while the process grows by less than 100 MB', async () => {
    // Load fetch and the routes first, so their one-time cost is not counted as growth.
    expect((await h.api(`/v1/files?${query({ workspace_id: WS })}`)).status).toBe(200);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const info = (await (
        await h.api('/v1/files/upload-url', {
          method: 'POST',
          body: JSON.stringify({ filename: 'genome.bam', workspace_id: WS, content_type: 'application/octet-stream', size: SIZE, path: 'bam/' }),
        })
      ).json()) as { uploadUrl: string; fileKey: string };
      const md5 = createHash('md5');
      expect(await putStream(info.uploadUrl, generated(SIZE, md5), SIZE)).toBe(200);
      const res = await h.api('/v1/files/upload-confirm', {
        method: 'POST',
        body: JSON.stringify({ file_key: info.fileKey, workspace_id: WS, filename: 'genome.bam', size: SIZE }),
      });
      expect(res.status).toBe(200);
      const meta = (await res.json()) as FileMeta;
      expect(meta).toMatchObject({ name: 'genome.bam', path: 'bam/', size: SIZE, etag: md5.digest('hex') });

      const { url } = (await (await h.api(`/v1/files/download?${query({ workspace_id: WS, key: meta.key })}`)).json()) as {
        url: string;
      };
      const tail = await fetch(url, { headers: { Range: `bytes=${SIZE - 10}-` } });
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.alloc(10, 0x5a))).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    const grownMb = (peak - baseline) / 1e6;
    expect(grownMb).toBeLessThan(100);
  });
});
