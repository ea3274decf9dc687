import { describe } from 'vitest';
import { md5, runPlanTable, STAMP, type PlanCase } from './plan-table.js';

const MTIME = 1_700_000_000_000;
const copyOf = (stem: string, ext: string, n = 1): string => `${stem} (conflicted copy ${STAMP})${n > 1 ? ` (${n})` : ''}${ext}`;

const rows: PlanCase[] = [
  {
    name: 'row 1: unchanged on both sides → nothing',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: [],
  },
  {
    name: 'row 1: a touched file (new mtime and inode, same bytes) → record only, no transfer',
    local: { 'a.txt': { content: 'v1', mtimeMs: MTIME + 5_000, ino: 99 } },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['1 record a.txt v1'],
  },
  {
    name: 'row 1: the remote key changed while etag and size stayed → record refreshes the base, no transfer',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v1', key: 'key/replaced' } },
    base: { 'a.txt': 'v1' },
    actions: ['1 record a.txt v1'],
  },
  {
    name: 'row 1: a quoted remote etag equals the unquoted base etag',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v1', etag: `"${md5('v1')}"` } },
    base: { 'a.txt': 'v1' },
    actions: [],
  },
  {
    name: 'row 1: a quoted base etag equals the unquoted remote etag',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': { content: 'v1', etag: `"${md5('v1')}"` } },
    actions: [],
  },
  {
    name: 'row 1: a multipart (non-MD5) etag unchanged since the last sync → nothing',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v1', etag: 'abc-3' } },
    base: { 'a.txt': { content: 'v1', etag: 'abc-3' } },
    actions: [],
  },
  {
    name: 'row 1: no etag on either side, same key and size → unchanged',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v1', etag: null } },
    base: { 'a.txt': { content: 'v1', etag: null } },
    actions: [],
  },
  {
    name: 'row 2: changed locally only → upload over the synced remote version',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['2 upload a.txt v2 over v1'],
  },
  {
    name: 'row 3: changed remotely only → download over the synced local version',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': 'v2' },
    base: { 'a.txt': 'v1' },
    actions: ['3 download a.txt v2 over v1'],
  },
  {
    name: 'row 3: a new non-MD5 etag of the same size is a remote change → download',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v2', etag: 'abc-4' } },
    base: { 'a.txt': { content: 'v1', etag: 'abc-3' } },
    actions: ['3 download a.txt v2 over v1'],
  },
  {
    name: 'row 3: without etags, a new key is a remote change → download',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v2', etag: null, key: 'key/new' } },
    base: { 'a.txt': { content: 'v1', etag: null } },
    actions: ['3 download a.txt v2 over v1'],
  },
  {
    name: 'row 4: deleted locally, remote unchanged → delete remote',
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['4 delete-remote a.txt v1'],
  },
  {
    name: 'row 4, incomplete listing: deleted locally and not listed → nothing, not even forget',
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: [],
  },
  {
    name: 'row 4, incomplete listing: deleted locally and listed unchanged → the local deletion still propagates',
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: ['4 delete-remote a.txt v1'],
  },
  {
    name: 'row 5: deleted remotely, local unchanged → delete local (to trash)',
    local: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['5 delete-local a.txt v1'],
  },
  {
    name: 'row 5, incomplete listing: absence from the listing deletes nothing',
    local: { 'a.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: [],
  },
  {
    name: 'row 5: a touched (same bytes) local file deleted remotely is still deleted',
    local: { 'a.txt': { content: 'v1', mtimeMs: MTIME + 1 } },
    base: { 'a.txt': 'v1' },
    actions: ['5 delete-local a.txt v1'],
  },
  {
    name: 'row 6: deleted on both sides → forget the base row',
    base: { 'a.txt': 'v1' },
    actions: ['6 forget a.txt'],
  },
  {
    name: 'row 6, incomplete listing: the base row is kept',
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: [],
  },
  {
    name: 'row 7: changed on both sides to the same bytes → record, no transfer, no conflict copy',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': 'v2' },
    base: { 'a.txt': 'v1' },
    actions: ['7 record a.txt v2'],
  },
  {
    name: 'row 7: a quoted MD5 etag is compared without its quotes',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': { content: 'v2', etag: `"${md5('v2').toUpperCase()}"` } },
    base: { 'a.txt': 'v1' },
    actions: ['7 record a.txt v2'],
  },
  {
    name: 'row 8: both changed differently → conflict copy keeps local, remote keeps the name',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': 'v3' },
    base: { 'a.txt': 'v1' },
    actions: [`8 conflict a.txt → ${copyOf('a', '.txt')} local v2 remote v3`],
  },
  {
    name: 'row 8: both changed, same size, non-MD5 etag → sameness unproven → conflict copy',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': { content: 'v2', etag: 'abc-9' } },
    base: { 'a.txt': { content: 'v1', etag: 'abc-1' } },
    actions: [`8 conflict a.txt → ${copyOf('a', '.txt')} local v2 remote v2`],
  },
  {
    name: 'row 8: both changed, non-MD5 etag, sizes differ → conflict copy',
    local: { 'a.txt': 'v2' },
    remote: { 'a.txt': { content: 'v22', etag: 'abc-9' } },
    base: { 'a.txt': { content: 'v1', etag: 'abc-1' } },
    actions: [`8 conflict a.txt → ${copyOf('a', '.txt')} local v2 remote v22`],
  },
  {
    name: 'row 9: changed locally, deleted remotely → upload again (modification beats deletion)',
    local: { 'a.txt': 'v2' },
    base: { 'a.txt': 'v1' },
    actions: ['9 upload a.txt v2 over nothing'],
  },
  {
    name: 'row 9, incomplete listing: changed locally, not listed → upload as row 2 against the synced version',
    local: { 'a.txt': 'v2' },
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: ['2 upload a.txt v2 over v1'],
  },
  {
    name: 'row 10: deleted locally, changed remotely → download again (modification beats deletion)',
    remote: { 'a.txt': 'v2' },
    base: { 'a.txt': 'v1' },
    actions: ['10 download a.txt v2 over nothing'],
  },
  {
    name: 'row 11: new local file → upload',
    local: { 'a.txt': 'v1' },
    actions: ['11 upload a.txt v1 over nothing'],
  },
  {
    name: 'row 11, incomplete listing: a new local file still uploads (the executor checks the path first)',
    local: { 'a.txt': 'v1' },
    complete: false,
    actions: ['11 upload a.txt v1 over nothing'],
  },
  {
    name: 'row 12: new remote file → download',
    remote: { 'dir/a.txt': 'v1' },
    actions: ['12 download dir/a.txt v1 over nothing'],
  },
  {
    name: 'row 13: renamed remotely, local unchanged → rename locally, no download',
    local: { 'a.txt': 'v1' },
    remote: { 'sub/b.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['13 rename-local a.txt → sub/b.txt'],
  },
  {
    name: 'row 13: a rename keeps a non-MD5 etag → still a rename',
    local: { 'a.txt': 'v1' },
    remote: { 'b.txt': { content: 'v1', etag: 'abc-2' } },
    base: { 'a.txt': { content: 'v1', etag: 'abc-2' } },
    actions: ['13 rename-local a.txt → b.txt'],
  },
  {
    name: 'row 13, incomplete listing: no rename inferred from absence → the new path downloads, the old stays',
    local: { 'a.txt': 'v1' },
    remote: { 'b.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    complete: false,
    actions: ['12 download b.txt v1 over nothing'],
  },
  {
    name: 'row 13 not applicable: the local file changed at the old path → upload it back and download the new path',
    local: { 'a.txt': 'v2' },
    remote: { 'b.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['9 upload a.txt v2 over nothing', '12 download b.txt v1 over nothing'],
  },
  {
    name: 'row 13 not applicable: the new remote path has other bytes → download it, delete the old',
    local: { 'a.txt': 'v1' },
    remote: { 'b.txt': 'v9' },
    base: { 'a.txt': 'v1' },
    actions: ['12 download b.txt v9 over nothing', '5 delete-local a.txt v1'],
  },
  {
    name: 'row 13 not applicable: without etags a rename cannot be proven → download the new path, delete the old',
    local: { 'a.txt': 'v1' },
    remote: { 'b.txt': { content: 'v1', etag: null } },
    base: { 'a.txt': { content: 'v1', etag: null } },
    actions: ['12 download b.txt v1 over nothing', '5 delete-local a.txt v1'],
  },
  {
    name: 'row 13: two identical files renamed → paired one to one in path order',
    local: { 'a1.txt': 'same', 'a2.txt': 'same' },
    remote: { 'b1.txt': 'same', 'b2.txt': 'same' },
    base: { 'a1.txt': 'same', 'a2.txt': 'same' },
    actions: ['13 rename-local a1.txt → b1.txt', '13 rename-local a2.txt → b2.txt'],
  },
  {
    name: 'row 13: a rename target already present locally is not a rename target → row 7 there, row 5 at the old path',
    local: { 'a.txt': 'v1', 'b.txt': 'v1' },
    remote: { 'b.txt': 'v1' },
    base: { 'a.txt': 'v1' },
    actions: ['7 record b.txt v1', '5 delete-local a.txt v1'],
  },
  {
    name: 'row 14: moved locally (same inode) → one move: upload the new path, then delete the old',
    local: { 'docs/b.txt': { content: 'v1', ino: 7 } },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': { content: 'v1', ino: 7 } },
    actions: ['14 move-remote a.txt → docs/b.txt v1'],
  },
  {
    name: 'row 14: moved and edited locally (same inode, new bytes) → move uploads the new bytes',
    local: { 'b.txt': { content: 'v2', ino: 7 } },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': { content: 'v1', ino: 7 } },
    actions: ['14 move-remote a.txt → b.txt v2'],
  },
  {
    name: 'row 14: moved across file systems (new inode, same hash) → move',
    local: { 'b.txt': { content: 'v1', ino: 8 } },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': { content: 'v1', ino: 7 } },
    actions: ['14 move-remote a.txt → b.txt v1'],
  },
  {
    name: 'row 14: inode pairing wins over hash pairing',
    local: { 'b.txt': { content: 'x', ino: 2 }, 'c.txt': { content: 'x', ino: 1 } },
    remote: { 'a.txt': 'x' },
    base: { 'a.txt': { content: 'x', ino: 1 } },
    actions: ['14 move-remote a.txt → c.txt x', '11 upload b.txt x over nothing'],
  },
  {
    name: 'row 14, incomplete listing: the old path is listed unchanged → the move still goes ahead',
    local: { 'b.txt': { content: 'v1', ino: 7 } },
    remote: { 'a.txt': 'v1' },
    base: { 'a.txt': { content: 'v1', ino: 7 } },
    complete: false,
    actions: ['14 move-remote a.txt → b.txt v1'],
  },
  {
    name: 'row 14 not applicable: the remote changed at the old path → download it back and upload the new path',
    local: { 'b.txt': { content: 'v1', ino: 7 } },
    remote: { 'a.txt': 'v2' },
    base: { 'a.txt': { content: 'v1', ino: 7 } },
    actions: ['10 download a.txt v2 over nothing', '11 upload b.txt v1 over nothing'],
  },
];

const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`tree/${i % 7}/file-${i}.dat`, i % 3 === 0 ? '' : `body ${i}`]));
const emptyFiles = Array.from({ length: 40 }, (_, i) => `pkg${String(i).padStart(2, '0')}/__init__.py`);

const quiet: PlanCase[] = [
  {
    name: 'quiet is quiet: 300 synced files, nothing changed anywhere → an empty plan',
    local: many,
    remote: many,
    base: many,
    actions: [],
  },
  {
    name: 'row 13: 40 identical empty files moved remotely under a new root → 40 local renames, paired in path order',
    local: Object.fromEntries(emptyFiles.map((p) => [p, ''])),
    remote: Object.fromEntries(emptyFiles.map((p) => [`src/${p}`, ''])),
    base: Object.fromEntries(emptyFiles.map((p) => [p, ''])),
    actions: emptyFiles.map((p) => `13 rename-local ${p} → src/${p}`),
  },
];

const firstSync: PlanCase[] = [
  {
    name: 'first sync (no base): the union of both sides',
    local: { 'mine.txt': 'm' },
    remote: { 'theirs.txt': 't' },
    actions: ['11 upload mine.txt m over nothing', '12 download theirs.txt t over nothing'],
  },
  {
    name: 'first sync: same path, same bytes → record, no transfer, no conflict copy',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': 'v1' },
    actions: ['7 record a.txt v1'],
  },
  {
    name: 'first sync: same path, different bytes → conflict copy',
    local: { 'a.txt': 'mine' },
    remote: { 'a.txt': 'theirs' },
    actions: [`8 conflict a.txt → ${copyOf('a', '.txt')} local mine remote theirs`],
  },
  {
    name: 'first sync: same path and size, non-MD5 etag → unproven, conflict copy rather than a possible lost write',
    local: { 'a.txt': 'v1' },
    remote: { 'a.txt': { content: 'v1', etag: 'abc-2' } },
    actions: [`8 conflict a.txt → ${copyOf('a', '.txt')} local v1 remote v1`],
  },
  {
    name: 'first sync after the state database was lost: nothing is deleted on either side',
    local: { 'a.txt': 'a', 'b.txt': 'b', 'only-local.txt': 'l' },
    remote: { 'a.txt': 'a', 'b.txt': 'b', 'only-remote.txt': 'r' },
    actions: ['7 record a.txt a', '7 record b.txt b', '11 upload only-local.txt l over nothing', '12 download only-remote.txt r over nothing'],
  },
];

const conflictNames: PlanCase[] = [
  {
    name: 'row 8 copy name: a file without extension',
    local: { Makefile: 'x' },
    remote: { Makefile: 'y' },
    actions: [`8 conflict Makefile → ${copyOf('Makefile', '')} local x remote y`],
  },
  {
    name: 'row 8 copy name: a dotfile has no extension',
    local: { 'home/.bashrc': 'x' },
    remote: { 'home/.bashrc': 'y' },
    actions: [`8 conflict home/.bashrc → home/${copyOf('.bashrc', '')} local x remote y`],
  },
  {
    name: 'row 8 copy name: only the last extension is kept after the stamp',
    local: { 'a.tar.gz': 'x' },
    remote: { 'a.tar.gz': 'y' },
    actions: [`8 conflict a.tar.gz → ${copyOf('a.tar', '.gz')} local x remote y`],
  },
  {
    name: 'row 8 copy name: a copy with that name exists locally → (2)',
    local: { 'a.txt': 'x', [copyOf('a', '.txt')]: 'old copy' },
    remote: { 'a.txt': 'y' },
    actions: [`11 upload ${copyOf('a', '.txt')} old copy over nothing`, `8 conflict a.txt → ${copyOf('a', '.txt', 2)} local x remote y`],
  },
  {
    name: 'row 8 copy name: copies exist locally and remotely → the first free number',
    local: { 'a.txt': 'x', [copyOf('a', '.txt')]: 'c1' },
    remote: { 'a.txt': 'y', [copyOf('a', '.txt')]: 'c1', [copyOf('a', '.txt', 2)]: 'c2' },
    base: { [copyOf('a', '.txt')]: 'c1' },
    actions: [`12 download ${copyOf('a', '.txt', 2)} c2 over nothing`, `8 conflict a.txt → ${copyOf('a', '.txt', 3)} local x remote y`],
  },
  {
    name: 'row 8 copy name: on a case-insensitive file system a copy name taken in another case counts as taken',
    local: { 'a.txt': 'x' },
    remote: { 'a.txt': 'y', [copyOf('A', '.TXT')]: 'c' },
    options: { caseInsensitiveFs: true },
    actions: [`12 download ${copyOf('A', '.TXT')} c over nothing`, `8 conflict a.txt → ${copyOf('a', '.txt', 2)} local x remote y`],
  },
];

const ordering: PlanCase[] = [
  {
    name: 'ordering: moves first, then transfers and records, then deletions, each phase by path',
    local: {
      'kept.txt': 'v1',
      'edited.txt': 'v2',
      'renamed-remotely.txt': 'r',
      'moved/new.txt': { content: 'm', ino: 5 },
      'gone-remotely.txt': 'g',
      'new-local.txt': 'n',
      'both.txt': 'mine',
      'touched.txt': { content: 't', mtimeMs: MTIME + 9 },
    },
    remote: {
      'kept.txt': 'v1',
      'edited.txt': 'v1',
      'renamed/there.txt': 'r',
      'old/place.txt': 'm',
      'gone-locally.txt': 'd',
      'new-remote.txt': 'n2',
      'both.txt': 'theirs',
      'touched.txt': 't',
    },
    base: {
      'kept.txt': 'v1',
      'edited.txt': 'v1',
      'renamed-remotely.txt': 'r',
      'old/place.txt': { content: 'm', ino: 5 },
      'gone-remotely.txt': 'g',
      'gone-locally.txt': 'd',
      'both.txt': 'b',
      'touched.txt': 't',
      'gone-both.txt': 'x',
    },
    actions: [
      '14 move-remote old/place.txt → moved/new.txt m',
      '13 rename-local renamed-remotely.txt → renamed/there.txt',
      `8 conflict both.txt → ${copyOf('both', '.txt')} local mine remote theirs`,
      '2 upload edited.txt v2 over v1',
      '6 forget gone-both.txt',
      '11 upload new-local.txt n over nothing',
      '12 download new-remote.txt n2 over nothing',
      '1 record touched.txt t',
      '4 delete-remote gone-locally.txt d',
      '5 delete-local gone-remotely.txt g',
    ],
  },
];

describe('reconcile: the decision table, row by row', () => runPlanTable(rows));
describe('reconcile: quiet trees and many identical files', () => runPlanTable(quiet));
describe('reconcile: first sync (no base) is a union with conflicts, never a deletion', () => runPlanTable(firstSync));
describe('reconcile: conflict copy names', () => runPlanTable(conflictNames));
describe('reconcile: action order', () => runPlanTable(ordering));
