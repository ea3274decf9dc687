/**
 * Shrunk counterexamples the model runs found, replayed as named cases. A case written with
 * `it.fails` is a known, reported, unfixed engine bug: it passes while the bug is there and fails
 * once the bug is fixed (then turn it into a plain `it`).
 *
 * Crash recovery (electron/engine/sync/once/recover.ts): these cases were found when the journal's
 * intents named only paths, so a transfer that completed just before a crash was recognised only
 * if both sides still held equal bytes at restart; a user's change on either side first left the
 * path without a base, and the next cycle made a conflict copy nobody had made two writes for.
 * Intents now record the version each path was moving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Delete,
  EditorSave,
  Edit,
  EqualWrite,
  Mkdir,
  Rename,
  Sync,
  SyncWithChange,
  SyncWithCrash,
  SyncWithFault,
  Write,
  type InitialFile,
} from './commands.js';
import { describeFailure, runScenario, openModelServer } from './run.js';
import type { RigServer } from '../support/sync-rig.js';

let lab: RigServer;
beforeAll(async () => {
  lab = await openModelServer();
});
afterAll(async () => {
  await lab.close();
});

const f = (path: string, placement: InitialFile['placement']): InitialFile => ({ path, placement, len: 8 });

async function expectClean(initial: InitialFile[], commands: Parameters<typeof runScenario>[2], options: Parameters<typeof runScenario>[3] = {}) {
  const out = await runScenario(lab, initial, commands, options);
  expect(out.violations, describeFailure(undefined, initial, commands, out)).toEqual([]);
}

describe('model regressions', () => {
  it('a conflict copy edited after a crash that followed its upload stays at its path (no copy of the copy)', async () => {
    await expectClean([f('a.txt', 'differ'), f('b.md', 'both'), f('d/g.txt', 'both')], [new SyncWithCrash(4), new Edit('local', 0, 8)]);
  });

  it('a remote edit made after a crash that followed a download is downloaded, with no conflict copy', async () => {
    await expectClean(
      [f('a.txt', 'both'), f('k.txt', 'both'), f('d/e/h.txt', 'both'), f('x/i.txt', 'both'), f('d/e/l.md', 'remote'), f('d/g.txt', 'differ')],
      [new SyncWithCrash(4), new Edit('remote', 14, 8)],
    );
  });

  it('a local overwrite made after a crash that followed its upload is uploaded, not pushed into a conflict copy', async () => {
    await expectClean(
      [f('x/j', 'differ'), f('k.txt', 'both'), f('d/g.txt', 'both')],
      [new Rename('local', 0, 'a.txt'), new SyncWithCrash(4), new Rename('local', 1, 'a.txt')],
    );
  });

  it('a remote move that lands the bytes a file already held is no change there: the local edit wins, with no conflict copy', async () => {
    await expectClean(
      [f('x/i.txt', 'both'), f('b.md', 'both'), f('d/f.txt', 'both'), f('d/e/h.txt', 'both')],
      [new Rename('local', 0, 'c'), new Sync(), new EditorSave(0, 8), new SyncWithChange(0, new Rename('remote', 16, 'b.md'))],
    );
  });

  it('a listing taken before crash recovery ran is not planned against the base recovery wrote: no file is trashed', async () => {
    await expectClean(
      [f('d/g.txt', 'local'), f('a.txt', 'both'), f('d/f.txt', 'both')],
      [new SyncWithCrash(2), new SyncWithChange(2, new EqualWrite('d/g.txt', 8)), new Mkdir('d')],
    );
  });

  it('a remote file moved away and back unchanged while the local user deleted it is deleted: those bytes were what the user removed', async () => {
    await expectClean(
      [f('a.txt', 'both'), f('d/e/h.txt', 'both'), f('d/g.txt', 'both')],
      [
        new SyncWithFault('failNth', 1),
        new Rename('remote', 10, 'a.txt'),
        new Write('local', 'k.txt', 8),
        new Delete('local', 5),
        new Rename('remote', 0, 'd/e/h.txt'),
      ],
    );
  });

  // Soak seed 893948387 (free timings, concurrency 4): the remote rename landed between the upload's
  // look at b.md and its write, while another job's request ran, and its effect spread over the
  // engine's next requests. Neither is a user's doing the engine could answer (there is no
  // conditional write): the change now waits for those windows and holds the engine's requests while it is made.
  it('at concurrency 4 a remote change made during the sync stays out of an upload between its look and its write', async () => {
    for (let i = 0; i < 3; i++) {
      await expectClean(
        [f('b.md', 'local'), f('a.txt', 'local'), f('k.txt', 'both')],
        [new SyncWithChange(2, new Rename('remote', 0, 'b.md')), new Write('local', 'a.txt', 8)],
        { concurrency: 4 },
      );
    }
  });

  // Soak seed 893948394 (free timings, also at concurrency 1): the remote user renamed x/i.txt onto
  // k.txt, replacing k.txt's own remote bytes, after the local user had put those same bytes at
  // k.txt and deleted them. The model kept k.txt's replaced bytes as a write that must survive.
  it("a remote rename onto a file replaces that file's bytes: the user saw them, so nothing is lost", async () => {
    await expectClean(
      [f('a.txt', 'remote'), f('k.txt', 'remote'), f('x/i.txt', 'both'), f('d/f.txt', 'both')],
      [new Rename('local', 3, 'k.txt'), new Delete('local', 3), new Rename('remote', 3, 'k.txt'), new Write('local', 'a.txt', 8)],
    );
  });
});
