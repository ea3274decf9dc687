import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, seedSampleWorkspace } from '../../emulator/seed.js';
import { startHarness, WS, type Harness } from './harness.js';

let a: Harness;
let b: Harness;
beforeAll(async () => {
  [a, b] = await Promise.all([startHarness(), startHarness()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe('seedSampleWorkspace', () => {
  it('fills nested folders with ~300 small files, a handful of large ones and non-ASCII names', async () => {
    const result = await seedSampleWorkspace(a.emu, WS);
    expect(result.seeded).toBe(true);
    const files = a.emu.admin.list(WS);
    expect(files).toHaveLength(result.files);
    expect(files.length).toBeGreaterThanOrEqual(290);
    const large = files.filter((f) => f.size > 1_000_000);
    expect(large.length).toBeGreaterThanOrEqual(4);
    expect(large.length).toBeLessThanOrEqual(5);
    expect(files.filter((f) => f.size <= 5000).length).toBeGreaterThanOrEqual(290);
    const paths = files.map((f) => f.path);
    expect(paths).toContain('résultats/échantillon 1.vcf');
    expect(paths).toContain('数据/读取.txt');
    expect(paths.some((p) => p.split('/').length >= 5)).toBe(true);
    expect(paths.some((p) => p.includes(' '))).toBe(true);
  });

  it('is idempotent and deterministic: a second run writes nothing, another server gets the same bytes', async () => {
    const before = a.emu.admin.list(WS);
    expect((await seedSampleWorkspace(a.emu, WS)).seeded).toBe(false);
    expect(a.emu.admin.list(WS)).toEqual(before);
    await seedSampleWorkspace(b.emu, WS);
    const etags = (files: { path: string; etag: string }[]): [string, string][] => files.map((f) => [f.path, f.etag]);
    expect(etags(b.emu.admin.list(WS))).toEqual(etags(before));
    expect(sampleFiles().length + 1).toBe(before.length);
  });

  it('leaves a workspace that has files as it is: its README deleted and a sample edited, nothing comes back or is written over', async () => {
    await a.emu.admin.remove(WS, 'README.txt');
    await a.emu.admin.put(WS, '数据/读取.txt', 'my edit\n');
    const before = a.emu.admin.list(WS);
    expect((await seedSampleWorkspace(a.emu, WS)).seeded).toBe(false);
    expect(a.emu.admin.list(WS)).toEqual(before);
    expect((await a.emu.admin.read(WS, '数据/读取.txt'))?.toString()).toBe('my edit\n');
  });
});
