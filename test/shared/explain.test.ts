import { describe, expect, it } from 'vitest';
import { causeOf, explainFileError, folderProblem, groupFileErrors, scrubDetails } from '../../electron/shared/explain.js';
import type { FileError } from '../../electron/shared/status.js';
import { status } from '../main/status-fixture.js';

const error = (kind: FileError['kind'], message: string, path = 'docs/report.txt'): FileError => ({ path, kind, message, at: 'x', attempts: 3 });

describe('a file error as a plain sentence with its fix', () => {
  it.each<[FileError['kind'], string, string]>([
    [
      'local-io',
      "EPERM: operation not permitted, rename '/home/ana/Work/.wsync/tmp/16a24f27-9c.download' -> '/home/ana/Work/docs/report.txt'",
      'permission',
    ],
    ['local-io', "EACCES: permission denied, open '/home/ana/Work/docs/.report.txt.wsync-tmp-3'", 'permission'],
    ['local-io', 'download of docs/report.txt (GET storage) failed: local file ENOSPC (write)', 'disk-full'],
    ['local-io', 'EROFS: read-only file system, open', 'read-only'],
    ['local-io', 'EBUSY: resource busy or locked', 'busy'],
    ['local-io', 'ENAMETOOLONG: name too long', 'bad-name'],
    ['local-io', "upload of 'a.bin': the local file changed size while it was being sent", 'changed'],
    ['too-large', 'upload (POST /v1/files/upload) failed: HTTP 413', 'too-large'],
    ['auth', 'HTTP 403', 'not-allowed'],
    ['transient', 'download failed: HTTP 503', 'connection'],
    ['rate-limited', 'HTTP 429', 'slow-down'],
    ['invalid-response', 'the listing was not JSON', 'bad-answer'],
    ['fatal', 'something odd', 'unexpected'],
  ])('%s "%s" is %s', (kind, message, cause) => {
    expect(causeOf({ kind, message })).toBe(cause);
    const { sentence, fix } = explainFileError({ kind, message });
    for (const text of [sentence, fix]) expect(text).not.toMatch(/\bE[A-Z]{3,}\b|\.wsync|tmp|HTTP/);
  });

  it('details keep the reason but never an internal temporary path or a URL query', () => {
    expect(
      scrubDetails("EPERM: operation not permitted, rename '/home/ana/Work/.wsync/tmp/16a24f27.download' -> '/home/ana/Work/docs/report.txt'"),
    ).toBe("EPERM: operation not permitted, rename a temporary file -> '/home/ana/Work/docs/report.txt'");
    expect(scrubDetails('GET https://bucket.s3.example.com/k/a.bin?X-Amz-Signature=abc&X-Amz-Credential=def failed')).toBe(
      'GET https://bucket.s3.example.com/k/a.bin?… failed',
    );
    expect(scrubDetails('open /home/ana/Work/docs/.r.txt.wsync-tmp-9 failed')).toBe('open a temporary file failed');
  });

  it('groups errors by cause, the largest group first, the files of each in path order', () => {
    const groups = groupFileErrors([error('transient', 'HTTP 503', 'a'), error('local-io', 'EPERM', 'c'), error('local-io', 'EACCES', 'b')]);
    expect(groups.map((g) => [g.cause, g.errors.map((e) => e.path)])).toEqual([
      ['permission', ['b', 'c']],
      ['connection', ['a']],
    ]);
  });
});

describe('a problem of the whole folder', () => {
  it.each<[string, Parameters<typeof status>[0], string | null]>([
    ['up to date', {}, null],
    ['offline', { state: 'offline', message: 'Connection refused' }, 'offline'],
    ['signed out', { state: 'signed-out' }, 'signed-out'],
    ['a server error', { state: 'error', message: 'list (GET /v1/files) failed: HTTP 503' }, 'server-error'],
    ['slowed down', { state: 'error', message: 'The server asked to slow down for 30 s' }, 'slow-down'],
    ['the folder is gone', { state: 'error', message: "ENOENT: no such file or directory, scandir '/media/usb/Work'" }, 'folder-missing'],
    ['the disk is full', { state: 'error', errors: [error('local-io', 'local file ENOSPC (write)')] }, 'disk-full'],
    ['files failing for other reasons are no folder problem', { state: 'error', errors: [error('local-io', 'EACCES')] }, null],
    [
      'the watch limit',
      { state: 'idle', message: 'The system limit on watched files was reached (ENOSPC): live change detection is off … To fix: sudo sysctl x=1' },
      'watch-limit',
    ],
  ])('%s', (_name, overrides, kind) => {
    expect(folderProblem(status(overrides))?.kind ?? null).toBe(kind);
  });

  it('the watch limit says the fix the engine gave', () => {
    expect(
      folderProblem(
        status({ message: 'limit reached (ENOSPC): live change detection is off. To fix: sudo sysctl fs.inotify.max_user_watches=524288' }),
      )?.fix,
    ).toBe('sudo sysctl fs.inotify.max_user_watches=524288');
  });
});
