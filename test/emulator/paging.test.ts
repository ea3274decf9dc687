import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { query, startHarness, WS, type Harness } from './harness.js';

interface ListBody {
  files: FileMeta[];
  next_cursor: string | null;
}

const TOTAL = 2500;
let h: Harness;
let expected: string[];

beforeAll(async () => {
  h = await startHarness();
  const paths: string[] = [];
  for (let i = 0; i < TOTAL; i += 1) paths.push(`dir${i % 7}/sub ${i % 3}/file-${String(i).padStart(5, '0')}.txt`);
  for (const path of paths) await h.emu.admin.put(WS, path, path);
  expected = [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
});
afterAll(async () => {
  await h.close();
});

async function listAll(limit: number | null, prefix = ''): Promise<{ paths: string[]; pages: number[] }> {
  const paths: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const params: Record<string, string | number> = { workspace_id: WS, prefix };
    if (limit !== null) params.limit = limit;
    if (cursor !== null) params.cursor = cursor;
    const res = await h.api(`/v1/files?${query(params)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ListBody;
    pages.push(body.files.length);
    paths.push(...body.files.map((f) => f.path + f.name));
    cursor = body.next_cursor;
  } while (cursor !== null);
  return { paths, pages };
}

describe('paging across 2,500 files', () => {
  it('walks every file once, in path order, with the maximum limit of 1000', async () => {
    const { paths, pages } = await listAll(1000);
    expect(pages).toEqual([1000, 1000, 500]);
    expect(paths).toEqual(expected);
  });

  it('defaults to pages of 100', async () => {
    const { paths, pages } = await listAll(null);
    expect(pages).toHaveLength(25);
    expect(pages.every((n) => n === 100)).toBe(true);
    expect(paths).toEqual(expected);
  });

  it('pages within a prefix and ends with a null cursor when the last page is exactly full', async () => {
    const inPrefix = expected.filter((p) => p.startsWith('dir3/'));
    const { paths } = await listAll(7, 'dir3/');
    expect(paths).toEqual(inPrefix);
    const exact = await listAll(inPrefix.length, 'dir3/');
    expect(exact.pages).toEqual([inPrefix.length]);
  });

  it('sees a file added behind the cursor on a later page, and never repeats one', async () => {
    const first = (await (await h.api(`/v1/files?${query({ workspace_id: WS, limit: 1000 })}`)).json()) as ListBody;
    await h.emu.admin.put(WS, 'zzz-late.txt', 'late');
    let cursor = first.next_cursor;
    const rest: string[] = [];
    while (cursor !== null) {
      const body = (await (await h.api(`/v1/files?${query({ workspace_id: WS, limit: 1000, cursor })}`)).json()) as ListBody;
      rest.push(...body.files.map((f) => f.path + f.name));
      cursor = body.next_cursor;
    }
    expect(rest.at(-1)).toBe('zzz-late.txt');
    expect(new Set([...first.files.map((f) => f.path + f.name), ...rest]).size).toBe(TOTAL + 1);
    await h.emu.admin.remove(WS, 'zzz-late.txt');
  });
});
