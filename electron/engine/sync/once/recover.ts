/**
 * Start-up recovery: the journal's unfinished intents are what a killed process left behind.
 * Each path they name is checked on both sides: if both hold the same bytes the base is written
 * (the operation completed), if both are empty the base is forgotten. Otherwise the version the
 * intent recorded for the path tells a finished transfer from a user's edit made after the crash:
 * when the side the transfer wrote holds the recorded bytes, the base is that side's state plus
 * the recorded version on the other, so the next cycle sees only the user's one-sided change.
 * Anything else leaves the base as it was for the reconciler to decide. None of this depends on
 * how far the operation got, so recovery never needs to know.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesApi } from '../../api/types.js';
import { md5File } from '../../local/hash.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import { baseOf, UNKNOWN_LOCAL } from '../../model/trees.js';
import { etagProvesBytes } from '../../model/versions.js';
import type { StateReader, StateWrite } from '../../state/state-db.js';
import type { StateWriter } from '../../state/state-writer.js';

export interface RecoveryResult {
  intents: number;
  completed: string[];
  forgotten: string[];
}

async function localFile(root: string, path: string): Promise<{ size: number; mtimeMs: number; ino: number; hash: string } | null> {
  try {
    const st = await lstat(join(root, path));
    if (!st.isFile()) return null;
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash: await md5File(join(root, path)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

export async function recoverJournal(state: StateReader, writer: StateWriter, api: FilesApi, root: string, prefix: string): Promise<RecoveryResult> {
  const intents = state.pendingIntents();
  const result: RecoveryResult = { intents: intents.length, completed: [], forgotten: [] };
  if (intents.length === 0) return result;
  const writes: StateWrite[] = [];
  const seen = new Set<string>();
  // A path named by several intents is judged once, against the last version recorded for it.
  const recordedFor = new Map(intents.flatMap((i) => Object.entries(i.versions)));
  for (const intent of intents) {
    for (const path of intent.paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      const local = await localFile(root, path);
      const found = await api.stat(prefix + path);
      const remote = found === null ? null : toLocalRemote(found, prefix);
      if (local !== null && remote !== null && etagProvesBytes(remote, local.hash, local.size)) {
        writes.push({ kind: 'put-base', entry: baseOf(path, remote, local, local.hash) });
        result.completed.push(path);
      } else if (local === null && remote === null && state.getBase(path) !== undefined) {
        writes.push({ kind: 'delete-base', path });
        result.forgotten.push(path);
      } else {
        const recorded = recordedFor.get(path);
        const hash = recorded?.hash;
        const from = recorded?.remote;
        if (hash !== undefined && from === undefined && remote !== null && etagProvesBytes(remote, hash)) {
          writes.push({ kind: 'put-base', entry: baseOf(path, remote, UNKNOWN_LOCAL, hash) });
          result.completed.push(path);
        } else if (hash !== undefined && from !== undefined && local !== null && local.hash === hash) {
          writes.push({ kind: 'put-base', entry: baseOf(path, from, local, local.hash) });
          result.completed.push(path);
        }
      }
    }
  }
  for (const intent of intents) writes.push({ kind: 'finish-intent', id: intent.id });
  await writer.commit(writes);
  return result;
}
