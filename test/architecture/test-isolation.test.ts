import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED_FILES } from '../support/isolated-files.js';

const root = join(import.meta.dirname, '..', '..');

function testFiles(): string[] {
  return readdirSync(join(root, 'test'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

describe('test files that replace modules run in a module graph of their own', () => {
  it('every file that calls vi.mock or vi.doMock is in ISOLATED_FILES', () => {
    const mocking = testFiles().filter((file) => /\bvi\.(?:do)?[mM]ock\(/.test(readFileSync(join(root, file), 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((file) => !ISOLATED_FILES.includes(file))).toEqual([]);
  });

  it('every file in ISOLATED_FILES exists (a renamed one would run shared, or not at all)', () => {
    const files = testFiles();
    expect(ISOLATED_FILES.filter((file) => !files.includes(file))).toEqual([]);
  });
});
