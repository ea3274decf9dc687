import { describe, expect, it } from 'vitest';
import { watchLimitReport } from '../../../electron/engine/watch/watch-limits.js';

const err = (code: string): Error => Object.assign(new Error(code), { code });

describe('watch limit reports', () => {
  it('names the inotify watch limit and its sysctl fix for ENOSPC on Linux', () => {
    const r = watchLimitReport(err('ENOSPC'), 5, 'linux');
    expect(r?.fix).toContain('sysctl fs.inotify.max_user_watches=524288');
    expect(r?.message).toContain('scanned every 5 minutes');
  });

  it('names the instance or open-file limit for EMFILE on Linux', () => {
    expect(watchLimitReport(err('EMFILE'), 1, 'linux')?.fix).toContain('fs.inotify.max_user_instances');
  });

  it('suggests the open-files limit elsewhere', () => {
    expect(watchLimitReport(err('EMFILE'), 5, 'darwin')?.fix).toContain('ulimit -n');
  });

  it('is not a limit for other errors', () => {
    expect(watchLimitReport(err('EACCES'), 5, 'linux')).toBeNull();
    expect(watchLimitReport('boom', 5, 'linux')).toBeNull();
  });
});
