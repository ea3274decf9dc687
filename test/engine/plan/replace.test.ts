/**
 * A file replaced by a folder of the same name, or the reverse, on either side: a delete plus
 * creates, judged on the trees as the cycle leaves them (before this, every cycle refused both
 * names, `refused remote name "thing": clashes with local "thing/a.txt"`, and nothing moved).
 */
import { describe } from 'vitest';
import { runPlanTable, type PlanCase } from './plan-table.js';

const replacements: PlanCase[] = [
  {
    name: 'local file replaced by a folder: the remote file is deleted first (row 4, makes way), then the folder uploads (row 11)',
    local: { 'thing/a.txt': 'a', 'thing/b.txt': 'b' },
    remote: { thing: 'old file' },
    base: { thing: 'old file' },
    actions: ['4 delete-remote thing old file (makes way)', '11 upload thing/a.txt a over nothing', '11 upload thing/b.txt b over nothing'],
  },
  {
    name: 'local folder replaced by a file: the remote files under it are deleted first (row 4, makes way), then the file uploads (row 11)',
    local: { thing: 'new file' },
    remote: { 'thing/a.txt': 'a', 'thing/sub/b.txt': 'b' },
    base: { 'thing/a.txt': 'a', 'thing/sub/b.txt': 'b' },
    actions: ['4 delete-remote thing/a.txt a (makes way)', '4 delete-remote thing/sub/b.txt b (makes way)', '11 upload thing new file over nothing'],
  },
  {
    name: 'remote file replaced by a folder: the local file goes to the trash first (row 5, makes way), then the folder downloads (row 12)',
    local: { thing: 'old file' },
    remote: { 'thing/a.txt': 'a' },
    base: { thing: 'old file' },
    actions: ['5 delete-local thing old file (makes way)', '12 download thing/a.txt a over nothing'],
  },
  {
    name: 'remote folder replaced by a file: the local files under it go to the trash first (row 5, makes way), then the file downloads (row 12)',
    local: { 'thing/a.txt': 'a', 'thing/b.txt': 'b' },
    remote: { thing: 'new file' },
    base: { 'thing/a.txt': 'a', 'thing/b.txt': 'b' },
    actions: ['5 delete-local thing/a.txt a (makes way)', '5 delete-local thing/b.txt b (makes way)', '12 download thing new file over nothing'],
  },
  {
    name: 'deeper: a file replaced by a folder two levels down, beside unrelated work in the same parent folder',
    local: { 'p/thing/x/y.txt': 'y', 'p/other.txt': 'edited' },
    remote: { 'p/thing': 'old', 'p/other.txt': 'v1' },
    base: { 'p/thing': 'old', 'p/other.txt': 'v1' },
    actions: ['4 delete-remote p/thing old (makes way)', '2 upload p/other.txt edited over v1', '11 upload p/thing/x/y.txt y over nothing'],
  },
  {
    name: 'both sides made the same replacement: the old file is forgotten (row 6) and the equal new files recorded (row 7)',
    local: { 'thing/a.txt': 'a' },
    remote: { 'thing/a.txt': 'a' },
    base: { thing: 'old' },
    actions: ['6 forget thing', '7 record thing/a.txt a'],
  },
  {
    name: 'an unrelated deletion elsewhere does not make way and stays in the last phase',
    local: { 'thing/a.txt': 'a', 'gone.txt': 'g' },
    remote: { thing: 'old' },
    base: { thing: 'old', 'gone.txt': 'g' },
    actions: ['4 delete-remote thing old (makes way)', '11 upload thing/a.txt a over nothing', '5 delete-local gone.txt g'],
  },
];

const realClashes: PlanCase[] = [
  {
    name: 'a real clash: the file was replaced by a folder locally while edited remotely → row 10 would restore it where the folder is: both refused, nothing deleted',
    local: { 'thing/a.txt': 'a' },
    remote: { thing: 'v2' },
    base: { thing: 'v1' },
    actions: [],
    refused: [
      ['local thing/a.txt', 'clashes with remote "thing": one name cannot be both a file and a folder'],
      ['remote thing', 'clashes with local "thing/a.txt"'],
    ],
  },
  {
    name: 'a real clash: the file was replaced by a folder remotely while edited locally → both refused, nothing deleted',
    local: { thing: 'mine' },
    remote: { 'thing/a.txt': 'a' },
    base: { thing: 'v1' },
    actions: [],
    refused: [
      ['local thing', 'clashes with remote "thing/a.txt"'],
      ['remote thing/a.txt', 'clashes with local "thing"'],
    ],
  },
  {
    name: 'a real clash does not block the synced paths under it: a new remote file named like a synced folder is refused, the folder keeps syncing',
    local: { 'thing/a.txt': 'a2', 'thing/b.txt': 'b' },
    remote: { thing: 'newcomer', 'thing/a.txt': 'a', 'thing/b.txt': 'b', 'thing/c.txt': 'c' },
    base: { 'thing/a.txt': 'a', 'thing/b.txt': 'b' },
    actions: ['2 upload thing/a.txt a2 over a', '12 download thing/c.txt c over nothing'],
    refused: [['remote thing', 'clashes with local "thing/a.txt", local "thing/b.txt": one name cannot be both a file and a folder']],
  },
  {
    name: 'a new local file named like a synced remote folder is refused and never uploaded; the folder keeps syncing',
    local: { data: 'mine', 'data/x.csv': 'x2' },
    remote: { 'data/x.csv': 'x' },
    base: { 'data/x.csv': 'x' },
    actions: ['2 upload data/x.csv x2 over x'],
    refused: [['local data', 'clashes with']],
  },
  {
    name: 'a deletion held by the mass-delete guard does not happen, so the folder that would replace it is refused until it is confirmed',
    local: { 'thing/a.txt': 'a' },
    remote: { thing: 'old' },
    base: { thing: 'old' },
    options: { deleteGuard: { minFiles: 1, fraction: 0 } },
    actions: [],
    held: [{ side: 'remote', paths: ['thing'], syncedCount: 1 }],
    refused: [['local thing/a.txt', 'clashes with remote "thing"']],
  },
  {
    name: '... and once confirmed, the replacement goes through',
    local: { 'thing/a.txt': 'a' },
    remote: { thing: 'old' },
    base: { thing: 'old' },
    options: { deleteGuard: { minFiles: 1, fraction: 0 }, confirmDeletes: true },
    actions: ['4 delete-remote thing old (makes way)', '11 upload thing/a.txt a over nothing'],
  },
  {
    name: 'first sync with a file on one side and a folder of that name on the other: a real clash, both refused',
    local: { 'thing/a.txt': 'a', 'fine.txt': 'f' },
    remote: { thing: 'file' },
    actions: ['11 upload fine.txt f over nothing'],
    refused: [
      ['local thing/a.txt', 'clashes with remote "thing"'],
      ['remote thing', 'clashes with local "thing/a.txt"'],
    ],
  },
];

describe('plan: a file replaced by a folder, or a folder by a file', () => runPlanTable(replacements));
describe('plan: real clashes are refused on the newcomer only', () => runPlanTable(realClashes));
