import { lstatSync, mkdtempSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveIfUnchanged, placeWithoutReplacing } from '../../../electron/engine/local/checked-move.js';

const dir = () => mkdtempSync(join(tmpdir(), 'wsync-move-'));

describe('moveIfUnchanged: only the file the engine looked at moves', () => {
  it('moves the planned file and returns the stat of what moved', async () => {
    const d = dir();
    writeFileSync(join(d, 'a'), 'old');
    const planned = lstatSync(join(d, 'a'));
    const moved = await moveIfUnchanged(join(d, 'a'), join(d, 'b'), planned);
    expect(moved?.ino).toBe(planned.ino);
    expect(existsSync(join(d, 'a'))).toBe(false);
    expect(readFileSync(join(d, 'b'), 'utf8')).toBe('old');
  });

  it('moves nothing when an editor has already saved a new version over it', async () => {
    const d = dir();
    writeFileSync(join(d, 'a'), 'old');
    const planned = lstatSync(join(d, 'a'));
    writeFileSync(join(d, 'a.tmp'), 'new');
    renameSync(join(d, 'a.tmp'), join(d, 'a'));
    expect(await moveIfUnchanged(join(d, 'a'), join(d, 'b'), planned)).toBeNull();
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('new');
    expect(existsSync(join(d, 'b'))).toBe(false);
  });

  it('moves nothing when the file is gone or a folder', async () => {
    const d = dir();
    expect(await moveIfUnchanged(join(d, 'a'), join(d, 'b'), { size: 1, mtimeMs: 1, ino: 1 })).toBeNull();
    expect(await moveIfUnchanged(d, join(d, 'b'), lstatSync(d))).toBeNull();
  });
});

describe('placeWithoutReplacing: what a user put at the target stays', () => {
  it('places where nothing is, refuses where something is', async () => {
    const d = dir();
    writeFileSync(join(d, 'staged'), 'bytes');
    expect(await placeWithoutReplacing(join(d, 'staged'), join(d, 'a'))).toBe(true);
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('bytes');
    expect(existsSync(join(d, 'staged'))).toBe(false);
    writeFileSync(join(d, 'staged'), 'other');
    expect(await placeWithoutReplacing(join(d, 'staged'), join(d, 'a'))).toBe(false);
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('bytes');
    expect(readFileSync(join(d, 'staged'), 'utf8')).toBe('other');
  });
});
