import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { createIgnoreMatcher, DEFAULT_IGNORES, loadIgnoreMatcher, TEMP_SUFFIX } from '../../../electron/engine/local/ignore.js';

describe('ignore matcher', () => {
  it.each([
    '.wsync/',
    '.wsync/state.db',
    '.DS_Store',
    'a/.DS_Store',
    'Thumbs.db',
    'desktop.ini',
    '~$Book1.xlsx',
    '.~lock.file.odt#',
    'a/b.swp',
    'photo.jpg.wsync-tmp',
    '.photo.jpg.wsync-tmp-123',
  ])('ignores %s by default', (p) => {
    expect(createIgnoreMatcher().ignores(p)).toBe(true);
  });

  it.each(['a.txt', 'docs/readme.md', '.wsyncignore', 'wsync/x'])('syncs %s by default', (p) => {
    expect(createIgnoreMatcher().ignores(p)).toBe(false);
  });

  it('cannot be told to expose the state folder', () => {
    expect(createIgnoreMatcher('!.wsync/\n!.wsync/state.db').ignores('.wsync/state.db')).toBe(true);
  });

  it('does not swallow unsafe names (the planner refuses them by name)', () => {
    const m = createIgnoreMatcher();
    expect(m.ignores('../escape')).toBe(false);
    expect(m.ignores('/abs')).toBe(false);
  });

  it('reads .wsyncignore from the root in gitignore syntax', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wsync-ign-'));
    try {
      expect((await loadIgnoreMatcher(root)).ignores('x.tmp')).toBe(false);
      writeFileSync(join(root, '.wsyncignore'), '# comment\n*.tmp\n/only-root.txt\n');
      const m = await loadIgnoreMatcher(root);
      expect(m.ignores('x.tmp')).toBe(true);
      expect(m.ignores('only-root.txt')).toBe(true);
      expect(m.ignores('sub/only-root.txt')).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ignore matcher shortcuts', () => {
  /** The matcher as it was before its shortcuts: the defaults plus a second matcher for our own names. */
  function reference(patterns: string): (path: string) => boolean {
    const ig = ignore()
      .add([...DEFAULT_IGNORES])
      .add(patterns);
    const own = ignore().add(['.wsync/', `*${TEMP_SUFFIX}`, `.*${TEMP_SUFFIX}*`]);
    return (path) => {
      try {
        return own.ignores(path) || ig.ignores(path);
      } catch {
        return false;
      }
    };
  }
  const name = fc
    .array(
      fc.constantFrom(
        '.',
        'a',
        'B',
        '.wsync',
        '.WSYNC',
        'wsync',
        '-tmp',
        '.wsync-tmp',
        '.Wsync-TMP',
        '.ds_store',
        '.DS_Store',
        'Thumbs.db',
        'desktop.INI',
        '~$',
        '.~lock.',
        '#',
        '.swp',
        '*',
        ' ',
        '\\',
        '..',
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(''));
  const path = fc
    .tuple(fc.array(name, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '/', '//'), fc.constantFrom('', '/', './', '../'))
    .map(([names, end, start]) => `${start}${names.join('/')}${end}`);
  const patterns = fc.constantFrom(
    '',
    '\n',
    '# only a comment',
    '!.wsync/',
    '!*.wsync-tmp\n!.*.wsync-tmp*',
    '*.tmp\nbuild/',
    '!.DS_Store',
    '!*.swp\n!~$*',
    'a/\n!a/B',
    '.wsync',
  );

  it.each([
    ['..wsync-tmpa', true],
    ['.x.wsync-tmp.1', true],
    ['d/.a.WSYNC-TMP-9/f', true],
    ['a.wsync-tmp/x', true],
    ['.wsync/x', true],
    ['x/.wsync/', true],
    ['.wsync', false],
    ['.wsync-tmpx', false],
    ['wsync-tmp', false],
    ['a/.wsyncx/b', false],
  ])('keeps our own name %s ignored (%s) whatever the user file negates', (p, ignored) => {
    const negating = '!.wsync/\n!*.wsync-tmp\n!.*.wsync-tmp*';
    expect(reference(negating)(p)).toBe(ignored);
    expect(createIgnoreMatcher(negating).ignores(p)).toBe(ignored);
  });

  it('agree with the plain matcher on every path, with and without a user file', () => {
    fc.assert(
      fc.property(patterns, fc.array(path, { minLength: 1, maxLength: 20 }), (text, paths) => {
        const matcher = createIgnoreMatcher(text);
        const expected = reference(text);
        for (const p of paths) expect([p, matcher.ignores(p)]).toEqual([p, expected(p)]);
      }),
      { numRuns: 2000 },
    );
  });
});
