import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../electron/engine/log/file-logger.js';
import { redactText, redactValue } from '../../../electron/engine/log/redact.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsync-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEY = 'sk-live-0123456789abcdef';

describe('folder log file', () => {
  it('writes JSON lines with levels under .wsync/logs and drops lines below the level', async () => {
    const log = createFileLogger({ dir, level: 'info' });
    log.debug({}, 'too detailed');
    log.info({ path: 'a.txt' }, 'uploaded');
    log.error({ path: 'b.txt' }, 'failed');
    await log.close();
    const lines = (await readFile(join(dir, '.wsync', 'logs', 'wsync.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.msg, l.path])).toEqual([
      [30, 'uploaded', 'a.txt'],
      [50, 'failed', 'b.txt'],
    ]);
  });

  it('never writes the API key or a presigned URL query string, in fields or messages', async () => {
    const log = createFileLogger({ dir, secrets: [KEY] });
    log.info(
      { apiKey: KEY, headers: { authorization: `Bearer ${KEY}` }, url: 'https://s3.example/b/k?X-Amz-Signature=abc123&X-Amz-Credential=xyz' },
      `request with ${KEY}`,
    );
    log.warn({ err: new Error(`GET https://s3.example/b/k?sig=topsecret failed, key ${KEY}`) }, 'download failed');
    await log.close();
    const text = await readFile(join(dir, '.wsync', 'logs', 'wsync.log'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('topsecret');
    expect(text).toContain('https://s3.example/b/k?[redacted]');
  });

  it('rotates when the file grows past its size, keeping a bounded number of files', async () => {
    const log = createFileLogger({ dir, size: '1K', keep: 2 });
    for (let i = 0; i < 200; i += 1) {
      log.info({ i, pad: 'x'.repeat(50) }, 'line');
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await log.close();
    const files = await readdir(join(dir, '.wsync', 'logs'));
    expect(files).toContain('wsync.log');
    expect(files.some((f) => f.startsWith('wsync.log.'))).toBe(true);
    expect(files.filter((f) => f.startsWith('wsync.log')).length).toBeLessThanOrEqual(3);
  });
});

describe('redaction', () => {
  it('blanks secret-named fields at any depth and keeps the rest', () => {
    expect(redactValue({ a: 1, nested: { api_key: 'k', Authorization: 'x', path: 'p' } })).toEqual({
      a: 1,
      nested: { api_key: '[redacted]', Authorization: '[redacted]', path: 'p' },
    });
  });

  it('keeps a URL without a query string as it is', () => {
    expect(redactText('GET http://127.0.0.1:9/v1/files failed')).toBe('GET http://127.0.0.1:9/v1/files failed');
  });
});
