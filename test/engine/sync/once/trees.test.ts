/**
 * One pass over a new large file's bytes: the scan leaves it unhashed (the plan carries hash ''),
 * its upload hashes it as it sends it and the server's etag proves those bytes, unless a decision
 * needs the hash first (the same path listed remotely: rows 7 and 8, or a file put there since the
 * listing). A file written to while it goes up is not recorded as synced. Real folder, emulator,
 * client and a real loopback proxy that damages an upload on the way.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFilesApi } from '../../../../electron/engine/api/client.js';
import type { FilesApi } from '../../../../electron/engine/api/types.js';
import { DEFER_HASH_MIN_BYTES } from '../../../../electron/engine/local/scan.js';
import { StateDb } from '../../../../electron/engine/state/state-db.js';
import { syncOnce } from '../../../../electron/engine/sync/once/cycle.js';
import { startEmulator } from '../../../../emulator/index.js';
import type { Emulator } from '../../../../emulator/types.js';

const WS = 'ws_demo';
let base: string;
let root: string;
let emu: Emulator;
let api: FilesApi;

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'wsync-trees-'));
  root = join(base, 'folder');
  mkdirSync(root);
  emu = await startEmulator({ dataDir: join(base, 'emu') });
  api = createFilesApi({ server: emu.url, workspace: WS, apiKey: 'wsync-demo-key' });
});
afterEach(async () => {
  await emu.close();
  rmSync(base, { recursive: true, force: true });
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const big = (seed: number) => Buffer.alloc(DEFER_HASH_MIN_BYTES + 1000, seed);
const cycle = (client: FilesApi = api, server = emu.url) => syncOnce({ root, server, workspace: WS, api: client });
const baseRow = (path: string) => {
  const db = StateDb.open(join(root, '.wsync/state.db'), { readonly: true });
  try {
    return db.getBase(path);
  } finally {
    db.close();
  }
};

describe('a new large file', () => {
  it('is hashed while it is sent, and recorded with that MD5, which the server confirmed', async () => {
    const bytes = big(7);
    writeFileSync(join(root, 'run.bam'), bytes);
    const result = await cycle();
    expect(result.inSync).toBe(true);
    expect(result.counts.uploaded).toBe(1);
    // The scan did not read it: the plan went out with no hash, and the upload's is recorded.
    expect(result.plan.actions.map((a) => [a.kind, a.kind === 'upload' ? a.local.hash : null])).toEqual([['upload', '']]);
    expect(baseRow('run.bam')?.hash).toBe(md5(bytes));
    expect((await emu.admin.read(WS, 'run.bam'))?.equals(bytes)).toBe(true);
    // Quiet afterwards: the recorded hash and stat hold.
    expect((await cycle()).plan.actions).toEqual([]);
  });

  it('is hashed first where the same path is listed remotely: the same bytes are recorded without an upload', async () => {
    const bytes = big(9);
    writeFileSync(join(root, 'same.bam'), bytes);
    await emu.admin.put(WS, 'same.bam', bytes);
    emu.resetCounters();
    const result = await cycle();
    expect(result.plan.actions.map((a) => [a.kind, a.decision])).toEqual([['record', 7]]);
    expect(emu.counters().upload).toBe(0);
    expect(baseRow('same.bam')?.hash).toBe(md5(bytes));
  });

  it('and different bytes at the same path make a conflict copy, as for a hashed file', async () => {
    writeFileSync(join(root, 'clash.bam'), big(1));
    await emu.admin.put(WS, 'clash.bam', big(2));
    const result = await cycle();
    expect(result.conflicts).toHaveLength(1);
    expect(readFileSync(join(root, 'clash.bam')).equals(big(2))).toBe(true);
  });

  it('is hashed by its upload job when the same bytes turned up at its path after the listing: recorded, not sent', async () => {
    const bytes = big(4);
    writeFileSync(join(root, 'late.bam'), bytes);
    let lists = 0;
    emu.onRequest = async (record) => {
      // The second listing is the fresh look right before the upload.
      if (record.kind === 'list' && ++lists === 2) await emu.admin.put(WS, 'late.bam', bytes);
    };
    const result = await cycle();
    expect(result.inSync).toBe(true);
    // In the one pass, by the job (not deferred to a second pass that would list and hash it).
    expect([result.passes, result.counts.recorded, emu.counters().upload]).toEqual([1, 1, 0]);
    expect(baseRow('late.bam')?.hash).toBe(md5(bytes));
  });

  it('written to while it goes up is not recorded as synced: the newer bytes go up after it', async () => {
    const path = join(root, 'growing.bam');
    writeFileSync(path, big(5));
    const newer = big(6);
    let written = false;
    emu.onRequest = (record) => {
      // Same size, other bytes, a new mtime, while the body is being sent.
      if (record.kind === 'upload' && !written) writeFileSync(path, newer);
      if (record.kind === 'upload') written = true;
    };
    const first = await cycle();
    expect(written).toBe(true);
    // The upload is not taken as synced: another pass looks again (and sends the newer bytes, or
    // finds by their hash that what went up was already all of them).
    expect(first.passes).toBeGreaterThanOrEqual(2);
    const final = await cycle();
    expect(final.inSync).toBe(true);
    expect((await emu.admin.read(WS, 'growing.bam'))?.equals(newer)).toBe(true);
    const row = baseRow('growing.bam');
    const st = statSync(path);
    expect(row).toMatchObject({ hash: md5(newer), localSize: st.size, localMtimeMs: st.mtimeMs, localIno: st.ino });
  });

  it('damaged on the way fails on the etag check and is not recorded', async () => {
    const bytes = big(8);
    writeFileSync(join(root, 'damaged.bam'), bytes);
    const proxy = await damagingProxy(new URL(emu.url));
    try {
      const through = createFilesApi({ server: proxy.url, workspace: WS, apiKey: 'wsync-demo-key' });
      const result = await cycle(through, proxy.url);
      expect(result.inSync).toBe(false);
      expect(result.failed.map((f) => f.path)).toEqual(['damaged.bam']);
      expect(baseRow('damaged.bam')).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });
});

/** Forwards to `target`, flipping one byte 1 MB into any request body larger than that (the upload's file part). */
async function damagingProxy(target: URL): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      const at = 1024 * 1024 - seen;
      if (at >= 0 && at < chunk.length) chunk[at] = (chunk[at] ?? 0) ^ 0xff;
      seen += chunk.length;
      out.write(chunk);
    });
    req.on('end', () => out.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
