import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar';
import { describe, expect, it } from 'vitest';
import { createDebugArchive } from '../../electron/engine-process/debug-archive.js';
import { status } from '../main/status-fixture.js';

const KEY = 'sk-live-0123456789abcdef';
const PRESIGNED = 'https://bucket.s3.example.com/ws/a.bin?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA';

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('the debug archive', () => {
  it('holds logs, statuses and settings, and never a key or a presigned URL', async () => {
    const base = await mkdtemp(join(tmpdir(), 'wsync-debug-test-'));
    const dir = join(base, 'Work');
    await mkdir(join(dir, '.wsync', 'logs'), { recursive: true });
    // A log line that slipped through (a future bug): the archive scrubs it again.
    await writeFile(
      join(dir, '.wsync', 'logs', 'wsync.log'),
      `{"msg":"download","url":"${PRESIGNED}","apiKey":"${KEY}","note":"key ${KEY}"}\n{"msg":"ok"}\n`,
    );
    await writeFile(join(dir, '.wsync', 'logs', '20250101-0000-01-wsync.log'), '{"msg":"older"}\n');
    const destination = join(base, 'wsync-debug.tar.gz');
    await createDebugArchive({
      destination,
      about: { version: '0.1.0', platform: 'linux' },
      settings: { folders: [{ id: 'f1', dir }], proxy: { mode: 'manual', url: `http://user:${KEY}@proxy:3128` } },
      statuses: [
        status({
          dir,
          message: `failed at ${PRESIGNED}`,
          errors: [{ path: 'a', kind: 'transient', message: `GET ${PRESIGNED}`, at: 'x', attempts: 3 }],
        }),
      ],
      folders: [{ id: 'f1', dir }],
      secrets: [KEY],
    });

    const raw = gunzipSync(await readFile(destination)).toString('latin1');
    expect(raw).not.toContain(KEY);
    expect(raw).not.toContain('X-Amz-Signature=deadbeef');
    expect(raw).not.toContain('AKIA');

    const out = join(base, 'out');
    await mkdir(out);
    await extract({ file: destination, cwd: out });
    const names = (await files(out)).map((f) => f.slice(out.length + 1)).sort();
    expect(names).toEqual([
      'wsync-debug/about.json',
      'wsync-debug/logs/f1/20250101-0000-01-wsync.log',
      'wsync-debug/logs/f1/wsync.log',
      'wsync-debug/settings.json',
      'wsync-debug/status.json',
    ]);
    const log = await readFile(join(out, 'wsync-debug', 'logs', 'f1', 'wsync.log'), 'utf8');
    expect(log).toContain('"msg":"ok"');
    expect(log).toContain('https://bucket.s3.example.com/ws/a.bin?[redacted]');
    expect((JSON.parse(await readFile(join(out, 'wsync-debug', 'status.json'), 'utf8')) as { folderId: string }[])[0]?.folderId).toBe('f1');
  });
});
