import { describe, expect, it } from 'vitest';
import {
  folderName,
  folderRemote,
  formatCount,
  formatDuration,
  overallProgress,
  progressFraction,
  shortenMiddle,
} from '../../electron/shared/format.js';
import { status } from '../main/status-fixture.js';

describe('names shortened in the middle keep the file name whole', () => {
  it.each([
    ['docs/a.txt', 30, 'docs/a.txt'],
    ['campaigns/2025/spring/hero-banner.png', 30, 'campaigns/202…/hero-banner.png'],
    ['a/very/deep/path/to/results-final.vcf', 24, 'a/ver…/results-final.vcf'],
    ['sample-with-a-really-long-name-from-the-sequencer.bam', 24, 'sample-with-a-re…cer.bam'],
  ])('%s in %i characters: %s', (path, max, expected) => {
    const shown = shortenMiddle(path, max);
    expect(shown).toBe(expected);
    expect(Array.from(shown).length).toBeLessThanOrEqual(max);
  });

  it('keeps the extension of a name too long by itself', () => {
    expect(shortenMiddle('x'.repeat(80) + '.fastq', 20).endsWith('.fastq')).toBe(true);
  });
});

describe('durations, counts and names', () => {
  it.each([
    [20, 'less than a minute'],
    [90, 'about 2 minutes'],
    [3600, 'about 1 hour'],
    [4800, 'about 1 hour 20 minutes'],
    [12 * 3600 + 600, 'about 12 hours'],
    [3 * 86400, 'about 3 days'],
  ])('%i s is "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('counts with thousands separators', () => {
    expect([formatCount(7), formatCount(1204), formatCount(1234567)]).toEqual(['7', '1,204', '1,234,567']);
  });

  it('names a folder by its local folder, never by the workspace id', () => {
    expect(folderName({ dir: '/home/ana/Lab data', workspace: 'ws_8f3a' })).toBe('Lab data');
    expect(folderName({ dir: 'C:\\Users\\ana\\Results\\', workspace: 'ws_8f3a' })).toBe('Results');
    expect(folderRemote({ server: 'https://files.example.com/api', workspace: 'ws_8f3a', prefix: 'runs/' })).toBe(
      'ws_8f3a/runs/ on files.example.com',
    );
  });
});

describe('overall progress', () => {
  it('sums what is left over syncing folders, with the queue and the time left', () => {
    const p = overallProgress([
      status({
        state: 'syncing',
        pending: { uploads: 2, downloads: 8, deletes: 0, bytes: 50_000_000 },
        transfers: [
          { id: 'a', path: 'a', direction: 'download', bytesDone: 5_000_000, bytesTotal: 10_000_000, bytesPerSecond: 2_000_000 },
          { id: 'b', path: 'b', direction: 'upload', bytesDone: 5_000_000, bytesTotal: 10_000_000, bytesPerSecond: 3_000_000 },
        ],
      }),
      status({ folderId: 'f2', state: 'idle', pending: { uploads: 9, downloads: 0, deletes: 0, bytes: 9 } }),
    ]);
    expect(p).toEqual({ files: 10, active: 2, queued: 8, bytesLeft: 40_000_000, bytesPerSecond: 5_000_000, secondsLeft: 8 });
  });

  it('has no time left while nothing moves', () => {
    expect(overallProgress([status({ state: 'syncing', pending: { uploads: 0, downloads: 0, deletes: 3, bytes: 0 } })]).secondsLeft).toBeNull();
  });

  it('measures the share done against the most that was left', () => {
    let total = 0;
    const shares = [100, 80, 40, 120, 0].map((left) => {
      const next = progressFraction(left, total);
      total = next.total;
      return next.fraction;
    });
    expect(shares.map((x) => Math.round(x * 100) / 100)).toEqual([0, 0.2, 0.6, 0, 1]);
  });
});
