/**
 * The decision table (sync-semantics.md) as data: each scenario is a tree synced on both sides,
 * what the users then did on each side, the plan the next cycle makes in its own printed lines
 * (what `wsync sync --once --dry-run` shows), what `sync --once` then prints, what it sent and
 * received, and both trees after that cycle. The runner is one SyncRig: the real engine and
 * client against the emulator, in-process; the built program's own behaviour is test/cli's.
 */
import { mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSummary } from '../../../../electron/cli/output.js';
import type { ExecutionCounts } from '../../../../electron/engine/execute/executor.js';
import { folderLayout } from '../../../../electron/engine/local/folder-layout.js';
import { SyncRig, type Side } from '../../../support/sync-rig.js';

type Step =
  | ['insert', string, string]
  | ['append', string, string]
  | ['rename', string, string]
  | ['remove', string]
  /** A new modification time, the bytes unchanged. */
  | ['touch', string]
  /** A folder the user made and left empty. */
  | ['mkdir', string];

interface Scenario {
  name: string;
  /** On both sides, synced, before the steps. */
  synced: Record<string, string>;
  local?: Step[];
  remote?: Step[];
  /** The next cycle's plan, as the dry run prints it. */
  plan: string[];
  /** What the cycle moved (summary line counts: uploaded, downloaded, ...), zero where not named. */
  did?: Partial<Counts>;
  /** Transfers the server counted during the cycle (uploads, downloads, deletes), zero where not named. */
  sent?: Partial<Record<'uploads' | 'downloads' | 'deletes', number>>;
  /** Both sides after that cycle (they are equal; a conflict copy included). */
  after: Record<string, string>;
  /** Local folders after the cycle, where the scenario is about folders. */
  dirs?: string[];
  /** What the cycle moved to .wsync/trash (path inside the batch → content). */
  trashed?: Record<string, string>;
  /** The kinds of the upload and delete requests, in the order the server saw them. */
  writes?: string[];
}

/** What the summary line counts (records and forgotten rows are not shown). */
type Counts = Omit<ExecutionCounts, 'recorded' | 'forgotten'>;

/** The summary `sync --once` prints for these counts (its first line). */
const summaryOf = (c: Partial<Counts>): string => {
  const n = (k: keyof Counts): number => c[k] ?? 0;
  return (
    `in sync: ${n('uploaded')} uploaded, ${n('downloaded')} downloaded, ${n('deletedRemote')} deleted remotely, ` +
    `${n('deletedLocal')} moved to .wsync/trash, ${n('renamedLocal')} renamed locally, ${n('movedRemote')} moved remotely, ${n('conflicts')} conflict(s)`
  );
};

/** The cycles' clock: conflict-copy names depend on it. */
const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const COPY = (name: string, ext: string): string => `${name} (conflicted copy 2026-01-02 030405).${ext}`;

const SCENARIOS: Scenario[] = [
  { name: 'row 1: nothing changed', synced: { 'a.txt': 'a' }, plan: ['nothing to do'], after: { 'a.txt': 'a' } },
  {
    name: 'row 1: a touched file is recorded again, nothing is sent',
    synced: { 'a.txt': 'a' },
    local: [['touch', 'a.txt']],
    plan: ['row  1  record        a.txt'],
    after: { 'a.txt': 'a' },
  },
  {
    name: 'row 2: a local edit is uploaded',
    synced: { 'a.txt': 'a' },
    local: [['insert', 'a.txt', 'a, edited here']],
    plan: ['row  2  upload        a.txt'],
    did: { uploaded: 1 },
    sent: { uploads: 1 },
    after: { 'a.txt': 'a, edited here' },
  },
  {
    name: 'row 3: a remote edit is downloaded',
    synced: { 'a.txt': 'a' },
    remote: [['insert', 'a.txt', 'a, edited there']],
    plan: ['row  3  download      a.txt'],
    did: { downloaded: 1 },
    sent: { downloads: 2 },
    after: { 'a.txt': 'a, edited there' },
  },
  {
    name: 'row 4: a local deletion deletes the remote file',
    synced: { 'a.txt': 'a', 'keep.txt': 'k' },
    local: [['remove', 'a.txt']],
    plan: ['row  4  delete-remote a.txt'],
    did: { deletedRemote: 1 },
    sent: { deletes: 1 },
    after: { 'keep.txt': 'k' },
  },
  {
    name: 'row 5: a remote deletion moves the local file to the trash and removes the folders it left empty; a folder the user made stays',
    synced: { 'dir/sub/old.txt': 'precious', 'keep.txt': 'k' },
    local: [['mkdir', 'mine']],
    remote: [['remove', 'dir/sub/old.txt']],
    plan: ['row  5  delete-local  dir/sub/old.txt'],
    did: { deletedLocal: 1 },
    after: { 'keep.txt': 'k' },
    dirs: ['mine'],
    trashed: { 'dir/sub/old.txt': 'precious' },
  },
  {
    name: 'row 6: deleted on both sides, the base row is forgotten, nothing is requested',
    synced: { 'a.txt': 'a', 'keep.txt': 'k' },
    local: [['remove', 'a.txt']],
    remote: [['remove', 'a.txt']],
    plan: ['row  6  forget        a.txt'],
    after: { 'keep.txt': 'k' },
  },
  {
    name: 'row 7: both sides changed to the same bytes: recorded, no transfer, no conflict copy',
    synced: { 'a.txt': 'a' },
    local: [['insert', 'a.txt', 'the same new bytes']],
    remote: [['insert', 'a.txt', 'the same new bytes']],
    plan: ['row  7  record        a.txt'],
    after: { 'a.txt': 'the same new bytes' },
  },
  {
    name: 'row 8: both sides changed differently: the remote keeps the name, the local version becomes a conflict copy on both sides',
    synced: { 'notes/plan.txt': 'base' },
    local: [['insert', 'notes/plan.txt', 'local edit']],
    remote: [['insert', 'notes/plan.txt', 'remote edit']],
    plan: [`row  8  conflict      notes/plan.txt (local copy: notes/${COPY('plan', 'txt')})`],
    did: { conflicts: 1 },
    sent: { uploads: 1, downloads: 2 },
    after: { [`notes/${COPY('plan', 'txt')}`]: 'local edit', 'notes/plan.txt': 'remote edit' },
  },
  {
    name: 'rows 7 and 8 on a first sync: created on both sides, different bytes give a conflict copy, equal bytes do not',
    synced: {},
    local: [
      ['insert', 'differs.txt', 'mine'],
      ['insert', 'equal.txt', 'same'],
    ],
    remote: [
      ['insert', 'differs.txt', 'theirs'],
      ['insert', 'equal.txt', 'same'],
    ],
    plan: [`row  8  conflict      differs.txt (local copy: ${COPY('differs', 'txt')})`, 'row  7  record        equal.txt'],
    did: { conflicts: 1 },
    sent: { uploads: 1, downloads: 2 },
    after: { [COPY('differs', 'txt')]: 'mine', 'differs.txt': 'theirs', 'equal.txt': 'same' },
  },
  {
    name: 'row 9: edited here, deleted there: the edit is uploaded again',
    synced: { 'a.txt': 'a' },
    local: [['insert', 'a.txt', 'a, edited here']],
    remote: [['remove', 'a.txt']],
    plan: ['row  9  upload        a.txt'],
    did: { uploaded: 1 },
    sent: { uploads: 1 },
    after: { 'a.txt': 'a, edited here' },
  },
  {
    name: 'row 10: deleted here, edited there: the edit is downloaded again',
    synced: { 'a.txt': 'a' },
    local: [['remove', 'a.txt']],
    remote: [['insert', 'a.txt', 'a, edited there']],
    plan: ['row 10  download      a.txt'],
    did: { downloaded: 1 },
    sent: { downloads: 2 },
    after: { 'a.txt': 'a, edited there' },
  },
  {
    name: 'rows 11 and 12: new on one side only, copied to the other, folders made as needed',
    synced: {},
    local: [
      ['insert', 'docs/deep/local.md', 'from disk'],
      ['insert', 'top.txt', 'also from disk'],
    ],
    remote: [['insert', 'data/remote.csv', '1,2']],
    plan: ['row 12  download      data/remote.csv', 'row 11  upload        docs/deep/local.md', 'row 11  upload        top.txt'],
    did: { uploaded: 2, downloaded: 1 },
    sent: { uploads: 2, downloads: 2 },
    after: { 'data/remote.csv': '1,2', 'docs/deep/local.md': 'from disk', 'top.txt': 'also from disk' },
    dirs: ['data', 'docs', 'docs/deep'],
  },
  {
    name: 'row 13: a remote move is a local rename, nothing downloaded, the emptied folder removed',
    synced: { 'old/report.txt': 'the report' },
    remote: [['rename', 'old/report.txt', 'new/report.txt']],
    plan: ['row 13  rename-local  old/report.txt -> new/report.txt'],
    did: { renamedLocal: 1 },
    after: { 'new/report.txt': 'the report' },
    dirs: ['new'],
  },
  {
    name: 'row 14: a local move uploads the new path, then deletes the old one',
    synced: { 'old/report.txt': 'the report' },
    local: [['rename', 'old/report.txt', 'new/report.txt']],
    plan: ['row 14  move-remote   old/report.txt -> new/report.txt'],
    did: { movedRemote: 1 },
    sent: { uploads: 1, deletes: 1 },
    after: { 'new/report.txt': 'the report' },
    writes: ['upload', 'delete'],
  },
];

let rig: SyncRig;
beforeEach(async () => {
  rig = await SyncRig.open();
});
afterEach(() => rig.close());

/** The files in .wsync/trash, by their path inside the one batch the cycle made (named for the cycle's time). */
function trashed(): Record<string, string> {
  const trash = folderLayout(rig.root).trash;
  expect(readdirSync(trash)).toEqual(['2026-01-02T03-04-05-000Z']);
  const batch = join(trash, '2026-01-02T03-04-05-000Z');
  const files = readdirSync(batch, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => [join(e.parentPath, e.name).slice(batch.length + 1), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

async function apply(side: Side, steps: Step[] = []): Promise<void> {
  for (const step of steps) {
    switch (step[0]) {
      case 'insert':
        await side.insert(step[1], step[2]);
        break;
      case 'append':
        await side.append(step[1], step[2]);
        break;
      case 'rename':
        await side.rename(step[1], step[2]);
        break;
      case 'remove':
        await side.remove(step[1]);
        break;
      case 'touch':
        if (side !== rig.local) throw new Error('only a local file can be touched');
        utimesSync(join(rig.root, step[1]), new Date(Date.UTC(2025, 5, 1)), new Date(Date.UTC(2025, 5, 1)));
        break;
      case 'mkdir':
        if (side !== rig.local) throw new Error('the remote has no folders of its own');
        mkdirSync(join(rig.root, step[1]), { recursive: true });
        break;
    }
  }
}

describe('the decision table, scenario by scenario', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    for (const [path, body] of Object.entries(scenario.synced)) await rig.local.insert(path, body);
    expect((await rig.syncOnce({ now: () => NOW })).inSync).toBe(true);
    expect(await rig.inSync()).toBe(true);

    await apply(rig.local, scenario.local);
    await apply(rig.remote, scenario.remote);
    expect(await rig.planLines({ now: () => NOW })).toEqual(scenario.plan);

    rig.emu.resetCounters();
    const result = await rig.syncOnce({ now: () => NOW });
    expect(result.failed).toEqual([]);
    expect(formatSummary(result)).toEqual([
      summaryOf(scenario.did ?? {}),
      ...result.conflicts.map((c) => `conflict: ${c.path}: your local version is kept as ${c.copyPath}`),
    ]);
    expect(rig.transfers()).toEqual({ uploads: 0, downloads: 0, deletes: 0, ...scenario.sent });
    const after = new Map(Object.entries(scenario.after).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(await rig.local.tree()).toEqual(after);
    expect(await rig.remote.tree()).toEqual(after);
    if (scenario.dirs) expect(rig.localDirs()).toEqual(scenario.dirs);
    if (scenario.trashed) expect(trashed()).toEqual(scenario.trashed);
    if (scenario.writes) {
      const writes = rig.emu.requests().filter((r) => r.kind === 'upload' || r.kind === 'delete');
      expect(writes.map((r) => r.kind)).toEqual(scenario.writes);
    }

    // Quiet is quiet: the next cycle finds nothing to do and moves nothing.
    rig.emu.resetCounters();
    expect(await rig.planLines({ now: () => NOW })).toEqual(['nothing to do']);
    await rig.syncOnce({ now: () => NOW });
    expect(rig.transfers()).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });
});
