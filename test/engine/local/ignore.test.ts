import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIgnoreMatcher, loadIgnoreMatcher } from '../../../electron/engine/local/ignore.js';

describe('ignore matcher', () => {
  it.each([
    '.wsync/', '.wsync/state.db', '.DS_Store', 'a/.DS_Store', 'Thumbs.db', 'desktop.ini', '~$Book1.xlsx',
    '.~lock.file.odt#', 'a/b.swp', 'photo.jpg.wsync-tmp', '.photo.jpg.wsync-tmp-123',
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
