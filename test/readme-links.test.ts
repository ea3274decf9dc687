/**
 * The README and the docs it links to are read from a checkout: every relative link and every
 * path they name in backticks as a Markdown file must be there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pages = [
  'README.md',
  'CHANGELOG.md',
  'emulator/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('documentation links', () => {
  it.each(pages)('%s: relative links resolve from the checkout', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
      .map((t) => t.replace(/#.*$/, ''));
    const named = [...text.matchAll(/`((?:\.\.\/)+[^`\s]+\.md)`/g)].map((m) => m[1] ?? '');
    const missing = [...targets, ...named].filter((t) => !existsSync(join(root, dirname(page), t)));
    expect(missing).toEqual([]);
  });
});
