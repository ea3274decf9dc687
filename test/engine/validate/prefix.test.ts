import { describe, expect, it } from 'vitest';
import { checkPrefix } from '../../../electron/engine/validate/prefix.js';

describe('checkPrefix: a prefix is normalised and checked once', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['sub', 'sub/'],
    ['sub/', 'sub/'],
    ['results/2024', 'results/2024/'],
    ['with space/', 'with space/'],
    ['.hidden/x', '.hidden/x/'],
    ['a.b/c..d', 'a.b/c..d/'],
  ])('accepts %j as %j', (raw, prefix) => {
    expect(checkPrefix(raw)).toEqual({ ok: true, prefix });
  });

  it.each([
    ['./sub', "'.' segment"],
    ['sub/.', "'.' segment"],
    ['../', "'..' segment"],
    ['a/../b', "'..' segment"],
    ['/abs', "starts with '/'"],
    ['//abs', "starts with '/'"],
    ['a\\b', 'backslash'],
    ['a//b', 'empty segment'],
    ['a//', 'empty segment'],
    ['a\u0000b', 'U+0000'],
    ['a\nb', 'U+000A'],
    ['.wsync/', 'state folder'],
    ['C:/data', 'absolute'],
    [`${'x'.repeat(256)}/`, 'longer than 255 bytes'],
  ])('refuses %j (%s), naming the prefix', (raw, why) => {
    const check = checkPrefix(raw);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toContain(why);
    expect(check.message).toContain(JSON.stringify(raw));
  });
});
