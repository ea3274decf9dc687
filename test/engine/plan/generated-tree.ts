/**
 * A large generated input for the planner: every row of the decision table, moves both ways,
 * conflicts whose copy names are taken, name clashes, unsafe names, a path listed twice and a file
 * replaced by a folder, spread over `paths` paths in a shuffled order (so sorting does real work).
 * Seeded: one seed always gives the same input.
 */
import { createHash } from 'node:crypto';
import type { BaseEntry, LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import type { ReconcileInput, ReconcileOptions } from '../../../electron/engine/plan/types.js';

const md5 = (content: string): string => createHash('md5').update(content).digest('hex');
const NOW = new Date('2024-05-06T07:08:09Z');
const MTIME = 1_700_000_000_000;

/** mulberry32: small, seeded, good enough to shuffle. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface GeneratedTree {
  paths: number;
  seed?: number;
  /** Remote deletions of most synced files, so the delete guard holds them. */
  massRemoteDeletion?: boolean;
  options?: Partial<ReconcileOptions>;
}

export function generatedInput({ paths, seed = 1, massRemoteDeletion = false, options }: GeneratedTree): ReconcileInput {
  const next = random(seed);
  const local: LocalEntry[] = [];
  const remote: RemoteFile[] = [];
  const base: BaseEntry[] = [];
  let ino = 1000;
  const L = (path: string, content: string, at = ++ino): void =>
    void local.push({ path, size: content.length, mtimeMs: MTIME, ino: at, hash: md5(content) });
  const R = (path: string, content: string, etag: string | undefined = md5(content)): void =>
    void remote.push({ key: `key/${path}`, path, size: content.length, etag });
  const B = (path: string, content: string, at = ++ino): number => {
    base.push({
      path,
      remoteKey: `key/${path}`,
      etag: md5(content),
      remoteSize: content.length,
      localSize: content.length,
      localMtimeMs: MTIME,
      localIno: at,
      hash: md5(content),
    });
    return at;
  };
  /** One synced file, on both sides and in the base. */
  const synced = (path: string, content: string): void => {
    const at = B(path, content);
    L(path, content, at);
    R(path, content);
  };

  for (let i = 0; i < paths; i++) {
    const folder = `d${i % 97}/s${i % 13}`;
    const p = `${folder}/f${i}.txt`;
    const v = `v${i}`;
    if (massRemoteDeletion) {
      if (i % 10 === 0) synced(p, v);
      else {
        L(p, v, B(p, v)); // gone remotely: row 5, held by the guard
      }
      continue;
    }
    switch (i % 24) {
      case 0: {
        // row 2: changed locally
        const at = B(p, v);
        L(p, `${v}+local`, at);
        R(p, v);
        break;
      }
      case 1: {
        // row 3: changed remotely
        L(p, v, B(p, v));
        R(p, `${v}+remote`);
        break;
      }
      case 2: // row 4: deleted locally
        B(p, v);
        R(p, v);
        break;
      case 3: // row 5: deleted remotely
        L(p, v, B(p, v));
        break;
      case 4: // row 6: deleted on both sides
        B(p, v);
        break;
      case 5: // row 7: changed the same way on both sides
        B(p, v);
        L(p, `${v}+same`);
        R(p, `${v}+same`);
        break;
      case 6: // row 8: changed differently, and the copy's first name is taken on the server
        B(p, v);
        L(p, `${v}+mine`);
        R(p, `${v}+theirs`);
        R(`${folder}/f${i} (conflicted copy 2024-05-06 070809).txt`, 'taken');
        break;
      case 7: // new on both sides, different: a conflict with no base
        L(p, `${v}+a`);
        R(p, `${v}+b`);
        break;
      case 8: // new locally / remotely
        L(p, v);
        R(`${folder}/r${i}.txt`, v);
        break;
      case 9: {
        // row 13: moved on the server
        const at = B(p, v);
        L(p, v, at);
        R(`${folder}/moved-r${i}.txt`, v);
        break;
      }
      case 10: {
        // row 14: moved on disk (same inode)
        const at = B(p, v);
        R(p, v);
        L(`${folder}/moved-l${i}.txt`, v, at);
        break;
      }
      case 11: // a name in two spellings: clashes where the file system folds case
        L(`${folder}/Case${i}.txt`, v);
        R(`${folder}/case${i}.txt`, `${v}+other`);
        break;
      case 12: // an unsafe name on the server, and one on disk
        R(`${folder}/bad\u0001${i}.txt`, v);
        L(`${folder}/bad\\${i}.txt`, v);
        break;
      case 13: // listed twice
        R(p, v);
        R(p, `${v}+again`);
        break;
      case 14: {
        // a synced file replaced on the server by a folder of its name
        L(p, v, B(p, v));
        R(`${p}/inside.txt`, `${v}+inside`);
        break;
      }
      case 15: // touched: a new inode, the same bytes (row 1, record)
        B(p, v);
        L(p, v);
        R(p, v);
        break;
      default:
        synced(p, v);
    }
  }
  const resolved: ReconcileOptions = {
    caseInsensitiveFs: false,
    platform: 'linux',
    deleteGuard: DEFAULT_DELETE_GUARD,
    confirmDeletes: false,
    ...options,
  };
  return {
    local: shuffle(local, next),
    remote: { files: shuffle(remote, next), complete: true },
    base: shuffle(base, next),
    now: NOW,
    options: resolved,
  };
}
