import { describe, expect, it } from 'vitest';
import { conflictCopyPath, conflictStamp, splitExtension } from '../../../electron/engine/plan/conflict-name.js';

const NOW = new Date('2024-12-31T23:04:05Z');
const STAMP = '2024-12-31 230405';

describe('conflict copy names', () => {
  const names: [string, string, string[], string][] = [
    ['an extension stays at the end', 'a.txt', [], `a (conflicted copy ${STAMP}).txt`],
    ['no extension', 'Makefile', [], `Makefile (conflicted copy ${STAMP})`],
    ['a dotfile has no extension', '.bashrc', [], `.bashrc (conflicted copy ${STAMP})`],
    ['a dotfile with an extension', '.bashrc.bak', [], `.bashrc (conflicted copy ${STAMP}).bak`],
    ['only the last extension moves', 'a.tar.gz', [], `a.tar (conflicted copy ${STAMP}).gz`],
    ['a trailing dot is no extension', 'notes.', [], `notes. (conflicted copy ${STAMP})`],
    ['a dot in a folder name is no extension', 'v1.2/README', [], `v1.2/README (conflicted copy ${STAMP})`],
    ['the copy stays in its folder', 'x/y/z.md', [], `x/y/z (conflicted copy ${STAMP}).md`],
    ['a taken name gets (2)', 'a.txt', [`a (conflicted copy ${STAMP}).txt`], `a (conflicted copy ${STAMP}) (2).txt`],
    [
      'several taken names give the first free number',
      'a.txt',
      [`a (conflicted copy ${STAMP}).txt`, `a (conflicted copy ${STAMP}) (2).txt`, `a (conflicted copy ${STAMP}) (3).txt`],
      `a (conflicted copy ${STAMP}) (4).txt`,
    ],
  ];
  for (const [behaviour, path, taken, expected] of names) {
    it(`${behaviour}: ${path} → ${expected}`, () => {
      expect(conflictCopyPath(path, NOW, (p) => taken.includes(p))).toBe(expected);
    });
  }

  it('two conflicts in one plan never get the same name (the caller marks each chosen name taken)', () => {
    const taken = new Set<string>();
    const choose = (path: string): string => {
      const chosen = conflictCopyPath(path, NOW, (p) => taken.has(p));
      taken.add(chosen);
      return chosen;
    };
    expect([choose('a.txt'), choose('a.txt')]).toEqual([`a (conflicted copy ${STAMP}).txt`, `a (conflicted copy ${STAMP}) (2).txt`]);
  });

  it('a long name is shortened so that the copy fits in 255 UTF-8 bytes, keeping the stamp and extension', () => {
    const copy = conflictCopyPath(`dir/${'é'.repeat(120)}.txt`, NOW, () => false);
    const name = copy.slice('dir/'.length);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith(` (conflicted copy ${STAMP}).txt`)).toBe(true);
    expect(name.startsWith('éé')).toBe(true);
  });

  it('the stamp is UTC with zero-padded fields', () => {
    expect(conflictStamp(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02 030405');
  });

  it('splitExtension splits at the last dot of the name only', () => {
    expect(splitExtension('a.b.c')).toEqual({ stem: 'a.b', ext: '.c' });
    expect(splitExtension('.env')).toEqual({ stem: '.env', ext: '' });
  });
});
