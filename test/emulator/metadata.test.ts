import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetadataStore, type FileRow } from '../../emulator/metadata.js';

let dir: string;
let store: MetadataStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsync-emu-meta-'));
  store = new MetadataStore(join(dir, 'metadata.sqlite'));
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

function row(path: string, key: string, workspace = 'ws'): FileRow {
  return { workspace, key, path, size: 1, etag: 'e', lastModified: '2024-01-01T00:00:00.000Z', contentType: null, description: null };
}

describe('MetadataStore', () => {
  it('upsert replaces the file at a path and reports the replaced key', () => {
    expect(store.upsert(row('a.txt', 'k1'))).toBeNull();
    expect(store.upsert(row('a.txt', 'k2'))).toBe('k1');
    expect(store.all('ws').map((r) => r.key)).toEqual(['k2']);
    expect(store.upsert(row('a.txt', 'k2'))).toBeNull();
  });

  it('pages by path within a prefix, strictly after the cursor, per workspace', () => {
    for (const [p, k] of [
      ['d/b', 'k1'],
      ['d/a', 'k2'],
      ['d0', 'k3'],
      ['e', 'k4'],
    ] as const)
      store.upsert(row(p, k));
    store.upsert(row('d/c', 'k5', 'other'));
    expect(store.listPage('ws', 'd/', null, 10).map((r) => r.path)).toEqual(['d/a', 'd/b']);
    expect(store.listPage('ws', 'd/', 'd/a', 10).map((r) => r.path)).toEqual(['d/b']);
    expect(store.listPage('ws', '', null, 2).map((r) => r.path)).toEqual(['d/a', 'd/b']);
  });

  it('confirm turns a pending upload into a file in one step', () => {
    store.addPending({ workspace: 'ws', key: 'p1', path: 'big.bin', contentType: 'x', declaredSize: 1, expiresAt: 100 });
    store.upsert(row('big.bin', 'old'));
    expect(store.confirm(row('big.bin', 'p1'))).toBe('old');
    expect(store.pending('p1')).toBeNull();
    expect(store.byPath('ws', 'big.bin')?.key).toBe('p1');
  });

  it('hands out expired pending uploads once, keeping live ones', () => {
    store.addPending({ workspace: 'ws', key: 'old', path: 'a', contentType: 'x', declaredSize: 1, expiresAt: 100 });
    store.addPending({ workspace: 'ws', key: 'live', path: 'b', contentType: 'x', declaredSize: 1, expiresAt: 300 });
    expect(store.takeExpiredPending(200).map((p) => p.key)).toEqual(['old']);
    expect(store.takeExpiredPending(200)).toEqual([]);
    expect(store.pending('live')?.path).toBe('b');
  });

  it('keeps the signing secret across reopening', () => {
    const secret = store.signingSecret();
    store.close();
    store = new MetadataStore(join(dir, 'metadata.sqlite'));
    expect(store.signingSecret().equals(secret)).toBe(true);
  });
});
