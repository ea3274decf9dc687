/**
 * The API key goes to the API and nowhere else, and neither it nor a presigned URL's query string
 * ever reaches a log line or an error (message, fields or inspected form).
 */
import { inspect } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilesApi } from '../../../electron/engine/api/client.js';
import { WsyncError } from '../../../electron/engine/errors.js';
import { captureLogs, fakeServer, FAST_RETRY, KEY, send, sendJson, startRig, tempFolder, WS, type ClientRig } from './support.js';

/** Anything that would show a secret: the key, or the signature-bearing query parameters. */
const LEAKS = [KEY, 'signature=', 'expires=', 'X-Amz-', 'sig=s3cr3t', 'Bearer'];

function leaksIn(text: string): string[] {
  return LEAKS.filter((leak) => text.includes(leak));
}

async function caught(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(WsyncError);
    return `${(err as Error).message}\n${inspect(err, { depth: 10 })}\n${JSON.stringify(err)}`;
  }
}

let rig: ClientRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('secrets', () => {
  it('the key is sent to API endpoints only, never to storage URLs (GET or PUT)', async () => {
    const folder = await tempFolder();
    const server = await fakeServer((req, res, self) => {
      if (req.path === '/storage/get') {
        send(res, 200, 'abc', 'application/octet-stream');
        return;
      }
      if (req.path === '/storage/put') {
        send(res, 200, '');
        return;
      }
      if (req.path === '/v1/files/download') {
        sendJson(res, 200, { url: `${self.url}/storage/get?sig=s3cr3t` });
        return;
      }
      if (req.path === '/v1/files/upload-url') {
        sendJson(res, 200, { uploadUrl: `${self.url}/storage/put?sig=s3cr3t`, fileKey: 'fk' });
        return;
      }
      sendJson(res, 200, { key: 'fk', name: 'a.txt', size: 3 });
    });
    try {
      writeFileSync(join(folder.path, 'a.txt'), 'abc');
      const api = createFilesApi({ server: server.url, workspace: WS, apiKey: KEY, largeUploadThreshold: 0 });
      await api.upload(join(folder.path, 'a.txt'), 'a.txt');
      await api.download({ key: 'fk', path: 'a.txt', size: 3 }, join(folder.path, 'b.txt'));
      const byPath = server.requests.map((r) => [r.method, r.path, r.headers.authorization ?? null]);
      expect(byPath).toEqual([
        ['POST', '/v1/files/upload-url', `Bearer ${KEY}`],
        ['PUT', '/storage/put', null],
        ['POST', '/v1/files/upload-confirm', `Bearer ${KEY}`],
        ['GET', '/v1/files/download', `Bearer ${KEY}`],
        ['GET', '/storage/get', null],
      ]);
    } finally {
      await server.close();
      await folder.remove();
    }
  });

  it('no log line or error, across every fault, holds the key or a presigned query string', async () => {
    rig = await startRig();
    const r = rig;
    const texts: string[] = [];
    const bytes = Buffer.alloc(100_000, 9);
    await r.emu.admin.put(WS, 'f.bin', bytes);
    const file = await r.api.stat('f.bin');
    if (file === null) throw new Error('seeded file missing');
    writeFileSync(join(r.dir, 'u.bin'), bytes);
    const api = r.client({ retry: { ...FAST_RETRY, limit: 1 } });
    const large = r.client({ retry: { ...FAST_RETRY, limit: 1 }, largeUploadThreshold: 10 });

    r.emu.faults.expiredUrls = true;
    texts.push(await caught(api.download(file, join(r.dir, 'o1'))));
    texts.push(await caught(large.upload(join(r.dir, 'u.bin'), 'l.bin')));
    r.emu.resetFaults();
    r.emu.faults.corruptDownloads = true;
    texts.push(await caught(api.download(file, join(r.dir, 'o2'))));
    r.emu.resetFaults();
    r.emu.faults.resetDownloadAfterBytes = 1000;
    r.emu.faults.resetUploadAfterBytes = 1000;
    texts.push(await caught(api.download(file, join(r.dir, 'o3'))));
    texts.push(await caught(api.upload(join(r.dir, 'u.bin'), 'u.bin')));
    texts.push(await caught(large.upload(join(r.dir, 'u.bin'), 'l.bin')));
    r.emu.resetFaults();
    r.emu.faults.failureRate = 1;
    r.emu.faults.failureStatuses = [500, 429];
    r.emu.faults.retryAfterSeconds = 0;
    texts.push(await caught(api.list()));
    texts.push(await caught(api.delete(file.key)));
    r.emu.resetFaults();
    r.emu.faults.latencyMs = 500;
    texts.push(await caught(r.client({ retry: { ...FAST_RETRY, limit: 0 }, timeouts: { idleMs: 50 } }).download(file, join(r.dir, 'o4'))));
    r.emu.resetFaults();

    const wrongKey = createFilesApi({ server: r.emu.url, workspace: WS, apiKey: 'no-scope-key-77', logger: r.log.logger });
    const scopeless = await caught(wrongKey.list());
    expect(scopeless).not.toContain('no-scope-key-77');

    const errors = texts.filter((t) => t !== '');
    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(r.log.lines.length).toBeGreaterThan(5);
    expect(r.log.lines.some((l) => l.includes('/storage/'))).toBe(true);
    for (const text of [...errors, ...r.log.lines]) expect(leaksIn(text), text).toEqual([]);
  });

  it('a server error message echoing the key or a signed URL is scrubbed before it reaches the error', async () => {
    const server = await fakeServer((_req, res) =>
      sendJson(res, 400, { error: { code: 'bad', message: `key ${KEY} refused for http://s3.example/b/k?X-Amz-Signature=abc&expires=1` } }),
    );
    const log = captureLogs();
    try {
      const api = createFilesApi({ server: server.url, workspace: WS, apiKey: KEY, logger: log.logger });
      const text = await caught(api.list());
      expect(text).toContain('http://s3.example/b/k');
      expect(leaksIn(text)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
