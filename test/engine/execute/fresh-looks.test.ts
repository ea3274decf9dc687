/**
 * The fresh looks before remote writes: which looks share one listing, which stay exact, and how
 * old a shared answer may be. A recording FilesApi answers from a map, so each case shows the
 * requests made; the executor's test against the emulator shows the same end to end.
 */
import { describe, expect, it } from 'vitest';
import type { FilesApi } from '../../../electron/engine/api/types.js';
import { FreshLooks, MAX_AGE_MS } from '../../../electron/engine/execute/fresh-looks.js';
import type { Listing, RemoteFile } from '../../../electron/engine/model/trees.js';

function remote(path: string, etag = 'e'): RemoteFile {
  return { key: `k-${path}`, path, size: 1, etag };
}

interface Recorded {
  api: FilesApi;
  calls: string[];
  files: Map<string, RemoteFile>;
  complete: boolean;
  /** Holds list answers until released (to look while one is under way). */
  hold: boolean;
  release(): void;
}

function recordingApi(initial: RemoteFile[] = []): Recorded {
  const rec: Recorded = {
    calls: [],
    files: new Map(initial.map((f) => [f.path, f])),
    complete: true,
    hold: false,
    release: () => undefined,
    api: undefined as unknown as FilesApi,
  };
  const waiters: (() => void)[] = [];
  rec.release = () => waiters.splice(0).forEach((w) => w());
  rec.api = {
    async list(prefix = ''): Promise<Listing> {
      rec.calls.push(`list ${prefix}`);
      if (rec.hold) await new Promise<void>((resolve) => waiters.push(resolve));
      return { files: [...rec.files.values()].filter((f) => f.path.startsWith(prefix)), complete: rec.complete };
    },
    async stat(path) {
      rec.calls.push(`stat ${path}`);
      return rec.files.get(path) ?? null;
    },
    upload: () => Promise.reject(new Error('not used')),
    download: () => Promise.reject(new Error('not used')),
    delete: () => Promise.reject(new Error('not used')),
    hashRemote: () => Promise.reject(new Error('not used')),
  };
  return rec;
}

const planned = (n: number, folder = 'd/') => Array.from({ length: n }, (_, i) => `${folder}f${String(i).padStart(3, '0')}.bin`);

describe('fresh looks', () => {
  it('answers every new file of a folder from one listing of the prefix they share', async () => {
    const rec = recordingApi([remote('d/f002.bin', 'there')]);
    const paths = planned(12);
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: paths, listed: [] });
    const answers = await Promise.all(paths.map((p) => looks.at(p)));
    expect(rec.calls).toEqual(['list d/f0']);
    expect(answers.filter((a) => a !== null)).toEqual([remote('d/f002.bin', 'there')]);
  });

  it('lists within the mirrored prefix and answers in folder-relative paths', async () => {
    const rec = recordingApi([remote('lab/d/f001.bin')]);
    const looks = new FreshLooks({ api: rec.api, prefix: 'lab/', planned: planned(8), listed: [] });
    expect(await looks.at('d/f001.bin')).toEqual({ ...remote('lab/d/f001.bin'), path: 'd/f001.bin' });
    expect(await looks.at('d/f000.bin')).toBeNull();
    expect(rec.calls).toEqual(['list lab/d/f00']);
  });

  it('asks again once the shared answer is older than MAX_AGE_MS: a write never relies on an older look', async () => {
    const rec = recordingApi();
    let clock = 1_000;
    const paths = planned(12);
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: paths, listed: [], now: () => clock });
    await looks.at(paths[0] as string);
    clock += MAX_AGE_MS;
    await looks.at(paths[1] as string);
    // Someone writes one of the paths meanwhile: the next listing sees it.
    rec.files.set(paths[3] as string, remote(paths[3] as string, 'theirs'));
    clock += 1;
    expect(await looks.at(paths[3] as string)).toEqual(remote(paths[3] as string, 'theirs'));
    expect(rec.calls).toEqual(['list d/f0', 'list d/f0']);
  });

  it('looks that come while the listing is under way wait for it instead of asking again', async () => {
    const rec = recordingApi();
    rec.hold = true;
    const paths = planned(6);
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: paths, listed: [] });
    const first = looks.at(paths[0] as string);
    const second = looks.at(paths[1] as string);
    await Promise.resolve();
    rec.release();
    expect(await Promise.all([first, second])).toEqual([null, null]);
    expect(rec.calls).toEqual(['list d/f00']);
  });

  it('stays exact where the listing would cost more than the looks it saves', async () => {
    const crowded = Array.from({ length: 5000 }, (_, i) => remote(`d/f${i}`));
    const rec = recordingApi();
    const paths = planned(3);
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: paths, listed: crowded });
    for (const p of paths) await looks.at(p);
    expect(rec.calls).toEqual(paths.map((p) => `stat ${p}`));
  });

  it('a lone look, a look without the cycle listing, and a path not planned are exact', async () => {
    const rec = recordingApi();
    const withListing = new FreshLooks({ api: rec.api, prefix: '', planned: ['a/x', 'b/y', 'b/z'], listed: [] });
    await withListing.at('a/x');
    await withListing.at('c/unplanned');
    const blind = new FreshLooks({ api: rec.api, prefix: '', planned: planned(5) });
    await blind.at('d/f000.bin');
    expect(rec.calls).toEqual(['stat a/x', 'stat c/unplanned', 'stat d/f000.bin']);
  });

  it('never reads absence from an incomplete listing: a path it does not show is looked at exactly', async () => {
    const rec = recordingApi([remote('d/f001.bin')]);
    rec.complete = false;
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: planned(5), listed: [] });
    expect(await looks.at('d/f001.bin')).toEqual(remote('d/f001.bin'));
    expect(await looks.at('d/f000.bin')).toBeNull();
    expect(rec.calls).toEqual(['list d/f00', 'stat d/f000.bin']);
  });

  it('the last looks of a folder reuse a fresh answer but ask no new listing for one path', async () => {
    const rec = recordingApi();
    let clock = 0;
    const paths = planned(4);
    const looks = new FreshLooks({ api: rec.api, prefix: '', planned: paths, listed: [], now: () => clock });
    await looks.at(paths[0] as string);
    await looks.at(paths[1] as string);
    await looks.at(paths[2] as string);
    clock += MAX_AGE_MS + 1;
    await looks.at(paths[3] as string);
    expect(rec.calls).toEqual(['list d/f00', `stat ${paths[3]}`]);
  });
});
