/**
 * The list page is checked by hand for speed (a big folder is hundreds of pages of a thousand
 * items); the schema stays the reference. On any page, valid or not, both must agree: the same
 * files and cursor, or the same invalid-response error naming the same field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { FileMetaSchema, parseListPage, toRemoteFile, validate, type AnswerSource } from '../../../electron/engine/api/schemas.js';

const source: AnswerSource = { endpoint: 'GET /v1/files', file: 'docs/' };
const optionalText = z.string().nullish();
const ReferencePage = z.object({ files: z.array(FileMetaSchema), next_cursor: optionalText, nextCursor: optionalText });

function reference(body: unknown): { files: unknown; nextCursor: string | null } {
  if (Array.isArray(body)) return { files: validate(z.array(FileMetaSchema), body, source).map(toRemoteFile), nextCursor: null };
  const page = validate(ReferencePage, body, source);
  const cursor = page.next_cursor ?? page.nextCursor ?? null;
  return { files: page.files.map(toRemoteFile), nextCursor: cursor === '' ? null : cursor };
}

const outcome = (parse: () => unknown): unknown => {
  try {
    return { ok: parse() };
  } catch (err) {
    return { error: (err as Error).message, kind: (err as { kind?: string }).kind };
  }
};

const oddValue = fc.constantFrom<unknown>(undefined, null, '', 'x', '12', '-1', '1.5', 0, -0, 7, -3, 2.5, Number.MAX_SAFE_INTEGER + 2, true, [], {});
/** Mostly a valid value, now and then an odd one: so that one bad field in an otherwise valid item is common. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: oddValue, weight: 1 });
const text = fc.constantFrom<string | null | undefined>(undefined, null, 'text', '');
const item = fc.record(
  {
    key: mostly(fc.constantFrom('obj_1', 'k')),
    name: mostly(fc.constantFrom('a.txt', 'dir/b.bin')),
    size: mostly(fc.oneof(fc.nat(), fc.nat().map(String))),
    path: mostly(fc.constantFrom('d/', 'd', '', null)),
    etag: mostly(fc.constantFrom('"0cc175b9c0f1b6a831c399e269772661"', 'W/"x"', undefined)),
    last_modified: mostly(text),
    lastModified: mostly(text),
    content_type: mostly(text),
    contentType: mostly(text),
    description: mostly(text),
    extra: oddValue,
  },
  { requiredKeys: ['key', 'name', 'size'] },
);
const page = fc.oneof(
  fc.array(mostly(item), { maxLength: 4 }),
  fc.record({ files: mostly(fc.array(item, { maxLength: 4 })), next_cursor: mostly(text), nextCursor: mostly(text) }, { requiredKeys: [] }),
  oddValue,
);

describe('parseListPage', () => {
  it('agrees with the schema on every page, valid or not: same files and cursor, or the same error', () => {
    fc.assert(
      fc.property(page, (body) => {
        expect(outcome(() => parseListPage(body, source))).toEqual(outcome(() => reference(body)));
      }),
      { numRuns: 3000 },
    );
  });

  it('maps a valid page straight to remote files, and names the first bad field otherwise', () => {
    const good = { files: [{ key: 'k1', name: 'a.txt', path: 'd/', size: '12', etag: '"abc"', content_type: 'text/plain' }], next_cursor: 'c2' };
    expect(parseListPage(good, source)).toEqual({
      files: [{ key: 'k1', path: 'd/a.txt', size: 12, etag: 'abc', lastModified: undefined, contentType: 'text/plain' }],
      nextCursor: 'c2',
    });
    const bad = { files: [good.files[0], { key: 'k2', name: 'b.txt', size: -1 }] };
    expect(() => parseListPage(bad, source)).toThrow(/GET \/v1\/files for 'docs\/': unexpected answer at files\.1\.size/);
  });
});
