import { describe } from 'vitest';
import { runPlanTable, type PlanCase } from './plan-table.js';

/** Each unsafe remote name is refused, and its safe neighbour still downloads. */
const unsafe: [string, string, string][] = [
  ['absolute path', '/etc/passwd', 'absolute'],
  ['drive letter with slash', 'C:/Windows/win.ini', 'absolute'],
  ['drive-relative path', 'c:notes.txt', 'absolute'],
  ["'..' segment inside", 'a/../../b.txt', "'..' segment"],
  ["'..' at the start", '../outside.txt', "'..' segment"],
  ["'.' segment", 'a/./b.txt', "'.' segment"],
  ['empty segment', 'a//b.txt', 'empty segment'],
  ['trailing slash', 'folder/', 'empty segment'],
  ['backslash', 'a\\..\\b.txt', 'backslash'],
  ['NUL', 'a\u0000b.txt', 'U+0000'],
  ['newline', 'a\nb.txt', 'U+000A'],
  ['U+001F', 'a\u001fb.txt', 'U+001F'],
  ['DEL (U+007F)', 'a\u007fb.txt', 'U+007F'],
  ['a segment over 255 UTF-8 bytes', `${'é'.repeat(128)}.txt`, 'longer than 255 bytes'],
  ["wsync's own state folder", '.wsync/state.db', 'state folder'],
];

const unsafeCases: PlanCase[] = unsafe.map(([what, path, reason]) => ({
  name: `unsafe remote name (${what}) is refused and never written; the rest syncs`,
  remote: { [path]: 'evil', 'ok.txt': 'fine' },
  actions: ['12 download ok.txt fine over nothing'],
  refused: [[`remote ${path}`, reason]],
}));

const windowsNames = [
  'CON',
  'con.txt',
  'Aux.tar.gz',
  'NUL',
  'prn.md',
  'COM1.log',
  'com9',
  'LPT1',
  'lpt9.txt',
  'sub/nul/x.txt',
  'trailing.',
  'trailing ',
  'a<b',
  'a>b',
  'ab:c',
  'a"b',
  'a|b',
  'a?b',
  'a*b',
];

const windowsCases: PlanCase[] = windowsNames.flatMap((path): PlanCase[] => [
  {
    name: `win32: ${JSON.stringify(path)} is refused on Windows`,
    remote: { [path]: 'x', 'ok.txt': 'fine' },
    options: { platform: 'win32' },
    actions: ['12 download ok.txt fine over nothing'],
    refused: [[`remote ${path}`, 'Windows']],
  },
  {
    name: `win32 names only on win32: ${JSON.stringify(path)} syncs on Linux`,
    remote: { [path]: 'x' },
    actions: [`12 download ${path} x over nothing`],
  },
]);

const nearMisses: PlanCase[] = [
  {
    name: 'win32: names that only resemble device names (CONSOLE, COM10, LPT0, xcon) are allowed',
    remote: { 'CONSOLE.txt': 'a', COM10: 'b', 'LPT0.txt': 'c', 'xcon.txt': 'd' },
    options: { platform: 'win32' },
    actions: [
      '12 download COM10 b over nothing',
      '12 download CONSOLE.txt a over nothing',
      '12 download LPT0.txt c over nothing',
      '12 download xcon.txt d over nothing',
    ],
  },
  {
    name: 'a segment of exactly 255 UTF-8 bytes is allowed',
    remote: { [`${'é'.repeat(125)}12345`]: 'x' },
    actions: [`12 download ${'é'.repeat(125)}12345 x over nothing`],
  },
  {
    name: 'dots inside names are not dot segments',
    remote: { '..hidden/a..b.txt': 'x', '.config/app.json': 'y' },
    actions: ['12 download ..hidden/a..b.txt x over nothing', '12 download .config/app.json y over nothing'],
  },
];

const clashes: PlanCase[] = [
  {
    name: 'case clash between two remote names on a case-insensitive file system → both refused, neither written',
    remote: { 'README.md': 'upper', 'readme.md': 'lower', 'other.txt': 'o' },
    options: { caseInsensitiveFs: true },
    actions: ['12 download other.txt o over nothing'],
    refused: [
      ['remote README.md', 'remote "readme.md"'],
      ['remote readme.md', 'remote "README.md"'],
    ],
  },
  {
    name: 'the same two names on a case-sensitive file system both sync',
    remote: { 'README.md': 'upper', 'readme.md': 'lower' },
    actions: ['12 download README.md upper over nothing', '12 download readme.md lower over nothing'],
  },
  {
    name: 'case clash between a remote name and an existing local file → both reported, the local file is not overwritten',
    local: { 'Notes.txt': 'mine' },
    remote: { 'notes.txt': 'theirs' },
    options: { caseInsensitiveFs: true },
    actions: [],
    refused: [
      ['local Notes.txt', 'remote "notes.txt"'],
      ['remote notes.txt', 'letter case'],
    ],
  },
  {
    name: 'case clash in a folder name → every file under both spellings is refused',
    remote: { 'Docs/a.txt': 'a', 'docs/b.txt': 'b' },
    options: { caseInsensitiveFs: true },
    actions: [],
    refused: [
      ['remote Docs/a.txt', 'remote "docs/b.txt"'],
      ['remote docs/b.txt', 'remote "Docs/a.txt"'],
    ],
  },
  {
    name: 'a clash never deletes, and refuses only the newcomer: a synced file keeps syncing when a name that clashes with it appears remotely',
    local: { 'A.txt': 'v2' },
    remote: { 'A.txt': 'v1', 'a.txt': 'other' },
    base: { 'A.txt': 'v1' },
    options: { caseInsensitiveFs: true },
    actions: ['2 upload A.txt v2 over v1'],
    refused: [['remote a.txt', 'clashes with local "A.txt": the names differ only in letter case']],
  },
  {
    name: 'row 13 on a case-insensitive file system: a remote rename that changes only case → rename locally, no clash',
    local: { 'readme.md': 'v1' },
    remote: { 'README.md': 'v1' },
    base: { 'readme.md': 'v1' },
    options: { caseInsensitiveFs: true },
    actions: ['13 rename-local readme.md → README.md'],
  },
  {
    name: 'row 14 on a case-insensitive file system: a local rename that changes only case → move, no clash',
    local: { 'README.md': { content: 'v1', ino: 4 } },
    remote: { 'readme.md': 'v1' },
    base: { 'readme.md': { content: 'v1', ino: 4 } },
    options: { caseInsensitiveFs: true },
    actions: ['14 move-remote readme.md → README.md v1'],
  },
  {
    name: 'a case-only remote rename whose bytes also changed is a delete plus a create: the old spelling goes to the trash first (row 5, makes way), then the new one downloads (row 12)',
    local: { 'readme.md': 'v1' },
    remote: { 'README.md': 'v2' },
    base: { 'readme.md': 'v1' },
    options: { caseInsensitiveFs: true },
    actions: ['5 delete-local readme.md v1 (makes way)', '12 download README.md v2 over nothing'],
  },
  {
    name: 'the same on a case-insensitive file system, edited locally meanwhile → modification beats deletion, and both spellings are refused (a real clash), nothing deleted',
    local: { 'readme.md': 'mine' },
    remote: { 'README.md': 'v2' },
    base: { 'readme.md': 'v1' },
    options: { caseInsensitiveFs: true },
    actions: [],
    refused: [
      ['local readme.md', 'remote "README.md"'],
      ['remote README.md', 'local "readme.md"'],
    ],
  },
  {
    name: 'row 13: a remote rename from NFD to NFC spelling → rename locally',
    local: { 'cafe\u0301.txt': 'v1' },
    remote: { 'caf\u00e9.txt': 'v1' },
    base: { 'cafe\u0301.txt': 'v1' },
    actions: ['13 rename-local cafe\u0301.txt → caf\u00e9.txt'],
  },
  {
    name: 'NFC/NFD clash between two remote names → both refused, even on a case-sensitive file system',
    remote: { 'caf\u00e9.txt': 'nfc', 'cafe\u0301.txt': 'nfd' },
    actions: [],
    refused: [
      ['remote caf\u00e9.txt', 'NFC/NFD'],
      ['remote cafe\u0301.txt', 'NFC/NFD'],
    ],
  },
  {
    name: 'NFC/NFD clash between a remote name and a local file → both reported, nothing overwritten',
    local: { 'caf\u00e9.txt': 'mine' },
    remote: { 'cafe\u0301.txt': 'theirs' },
    actions: [],
    refused: [
      ['local caf\u00e9.txt', 'remote "cafe\u0301.txt"'],
      ['remote cafe\u0301.txt', 'local "caf\u00e9.txt"'],
    ],
  },
  {
    name: 'a name used as a file and as a folder → both refused',
    remote: { data: 'file', 'data/x.csv': 'nested' },
    actions: [],
    refused: [
      ['remote data', 'both a file and a folder'],
      ['remote data/x.csv', 'both a file and a folder'],
    ],
  },
  {
    name: 'a remote folder over an existing local file of that name → both reported',
    local: { data: 'mine' },
    remote: { 'data/x.csv': 'nested' },
    actions: [],
    refused: [
      ['local data', 'both a file and a folder'],
      ['remote data/x.csv', 'both a file and a folder'],
    ],
  },
  {
    name: 'a path the server lists twice is refused',
    remote: { 'dup.txt': 'once' },
    moreRemote: [['dup.txt', 'twice']],
    actions: [],
    refused: [['remote dup.txt', 'listed this path 2 times']],
  },
  {
    name: 'a local name that could not come back from the server (backslash on Linux) is not uploaded',
    local: { 'a\\b.txt': 'x', 'ok.txt': 'y' },
    actions: ['11 upload ok.txt y over nothing'],
    refused: [['local a\\b.txt', 'backslash']],
  },
];

describe('names: unsafe remote names', () => runPlanTable(unsafeCases));
describe('names: Windows-forbidden names, only on win32', () => runPlanTable([...windowsCases, ...nearMisses]));
describe('names: names that collide on the local file system', () => runPlanTable(clashes));
