import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearScratch, folderLayout } from '../../../electron/engine/local/folder-layout.js';

describe('the .wsync/ layout', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('puts every engine file under ROOT/.wsync/, each at its own path', () => {
    root = mkdtempSync(join(tmpdir(), 'wsync-layout-'));
    const { root: r, stateDir, ...paths } = folderLayout(root);
    expect(r).toBe(root);
    expect(stateDir).toBe(join(root, '.wsync'));
    const all = Object.values(paths);
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p.startsWith(`${stateDir}/`)).toBe(true);
  });

  it('clearing the scratch folder empties tmp/ only, and a missing tmp/ is no error', async () => {
    root = mkdtempSync(join(tmpdir(), 'wsync-layout-'));
    const layout = folderLayout(root);
    expect(await clearScratch(layout)).toBe(0);
    mkdirSync(join(layout.tmp, 'sub'), { recursive: true });
    writeFileSync(join(layout.tmp, 'a.download'), 'partial');
    writeFileSync(join(layout.tmp, 'sub', 'b'), 'x');
    mkdirSync(layout.partial, { recursive: true });
    writeFileSync(join(layout.partial, 'kept'), 'resumable');
    writeFileSync(layout.stateDb, 'db');
    expect(await clearScratch(layout)).toBe(2);
    expect(readdirSync(layout.tmp)).toEqual([]);
    expect(existsSync(join(layout.partial, 'kept'))).toBe(true);
    expect(existsSync(layout.stateDb)).toBe(true);
  });
});
