/**
 * Every endpoint whose answer the client reads, answered badly by a hand-made server: an HTML
 * page, truncated JSON, wrong types, a missing required field. Each must give the typed
 * invalid-response error naming the endpoint (and the field), not retry, and leave no file behind.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesApi } from '../../../electron/engine/api/client.js';
import { expectKind, fakeServer, send, sendJson, tempFolder, type FakeRequest, type FakeServer } from './support.js';

type Endpoint = 'list' | 'download-url' | 'upload' | 'upload-url' | 'upload-confirm';
type Malformation = 'html' | 'truncated' | 'wrong-type' | 'missing-key';

const BYTES = Buffer.from('twelve bytes');
const META = { key: 'k1', name: 'a.txt', path: 'docs/', size: BYTES.length };

function goodAnswer(endpoint: Endpoint, base: string): unknown {
  switch (endpoint) {
    case 'list':
      return { files: [META], next_cursor: null };
    case 'download-url':
      return { url: `${base}/storage/get?sig=abc`, expires_in: 3600 };
    case 'upload':
    case 'upload-confirm':
      return META;
    case 'upload-url':
      return { uploadUrl: `${base}/storage/put?sig=abc`, fileKey: 'k1', expiresAt: '2030-01-01T00:00:00Z' };
  }
}

const BAD: Record<Endpoint, { wrongType: unknown; missingKey: unknown; field: { wrongType: string; missingKey: string } }> = {
  list: {
    wrongType: { files: [{ ...META, size: 'big' }], next_cursor: null },
    missingKey: { files: [{ name: 'a.txt', size: 1 }], next_cursor: null },
    field: { wrongType: 'files.0.size', missingKey: 'files.0.key' },
  },
  'download-url': {
    wrongType: { url: 42 },
    missingKey: { expires_in: 3600 },
    field: { wrongType: 'url', missingKey: '(body)' },
  },
  upload: {
    wrongType: { ...META, size: true },
    missingKey: { name: 'a.txt', size: BYTES.length },
    field: { wrongType: 'size', missingKey: 'key' },
  },
  'upload-url': {
    wrongType: { uploadUrl: 7, fileKey: 'k1' },
    missingKey: { uploadUrl: 'http://127.0.0.1:9/storage/put' },
    field: { wrongType: 'uploadUrl', missingKey: 'fileKey' },
  },
  'upload-confirm': {
    wrongType: { ...META, name: 5 },
    missingKey: { name: 'a.txt', path: 'docs/', size: BYTES.length },
    field: { wrongType: 'name', missingKey: 'key' },
  },
};

const PATHS: Record<Endpoint, string> = {
  list: '/v1/files',
  'download-url': '/v1/files/download',
  upload: '/v1/files/upload',
  'upload-url': '/v1/files/upload-url',
  'upload-confirm': '/v1/files/upload-confirm',
};

function endpointOf(req: FakeRequest): Endpoint | 'storage-get' | 'storage-put' | null {
  if (req.path === '/storage/get') return 'storage-get';
  if (req.path === '/storage/put') return 'storage-put';
  const found = (Object.keys(PATHS) as Endpoint[]).find((e) => PATHS[e] === req.path);
  return found ?? null;
}

function answerBadly(res: ServerResponse, endpoint: Endpoint, how: Malformation, base: string): void {
  if (how === 'html') {
    send(res, 200, '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
    return;
  }
  if (how === 'truncated') {
    const text = JSON.stringify(goodAnswer(endpoint, base));
    send(res, 200, text.slice(0, Math.floor(text.length / 2)));
    return;
  }
  sendJson(res, 200, how === 'wrong-type' ? BAD[endpoint].wrongType : BAD[endpoint].missingKey);
}

let server: FakeServer;
let bad: { endpoint: Endpoint; how: Malformation } = { endpoint: 'list', how: 'html' };
let folder: Awaited<ReturnType<typeof tempFolder>>;

beforeAll(async () => {
  folder = await tempFolder();
  writeFileSync(join(folder.path, 'a.txt'), BYTES);
  server = await fakeServer((req, res, self) => {
    const endpoint = endpointOf(req);
    if (endpoint === 'storage-get') {
      send(res, 200, BYTES.toString(), 'application/octet-stream');
      return;
    }
    if (endpoint === 'storage-put') {
      send(res, 200, '');
      return;
    }
    if (endpoint === null) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'no route' } });
      return;
    }
    if (endpoint === bad.endpoint) {
      answerBadly(res, endpoint, bad.how, self.url);
      return;
    }
    sendJson(res, 200, goodAnswer(endpoint, self.url));
  });
});
afterAll(async () => {
  await server.close();
  await folder.remove();
});

function call(endpoint: Endpoint): Promise<unknown> {
  const api = createFilesApi({
    server: server.url,
    workspace: 'ws',
    apiKey: 'k-123456',
    largeUploadThreshold: endpoint.startsWith('upload-') ? 0 : 500_000_000,
  });
  switch (endpoint) {
    case 'list':
      return api.list('docs/');
    case 'download-url':
      return api.download({ key: 'k1', path: 'docs/a.txt', size: BYTES.length }, join(folder.path, 'out', 'a.txt'));
    case 'upload':
    case 'upload-url':
    case 'upload-confirm':
      return api.upload(join(folder.path, 'a.txt'), 'docs/a.txt');
  }
}

const ENDPOINTS: Endpoint[] = ['list', 'download-url', 'upload', 'upload-url', 'upload-confirm'];
const MALFORMATIONS: Malformation[] = ['html', 'truncated', 'wrong-type', 'missing-key'];

describe.each(ENDPOINTS)('a malformed answer from %s', (endpoint) => {
  it.each(MALFORMATIONS)('(%s) is an invalid-response error naming the endpoint, not retried', async (how) => {
    bad = { endpoint, how };
    server.requests.length = 0;
    const err = await expectKind(call(endpoint), 'invalid-response');
    expect(err.message).toContain(PATHS[endpoint]);
    if (how === 'wrong-type') expect(err.message).toContain(BAD[endpoint].field.wrongType);
    if (how === 'missing-key') expect(err.message).toContain(BAD[endpoint].field.missingKey);
    if (how === 'html') expect(err.message).toContain('text/html');
    expect(server.requests.filter((r) => r.path === PATHS[endpoint])).toHaveLength(1);
    expect(existsSync(join(folder.path, 'out', 'a.txt'))).toBe(false);
    if (existsSync(join(folder.path, 'out'))) expect(readdirSync(join(folder.path, 'out'))).toEqual([]);
  });
});

describe('stat over a malformed listing', () => {
  it('is an invalid-response error, not "no such file"', async () => {
    bad = { endpoint: 'list', how: 'missing-key' };
    const api = createFilesApi({ server: server.url, workspace: 'ws', apiKey: 'k-123456' });
    await expectKind(api.stat('docs/a.txt'), 'invalid-response');
  });
});
