/**
 * One engine per folder: the folder lock is an exclusive lock on a small SQLite database
 * (`.wsync/lock.db`), taken through SQLite's POSIX advisory locks. The kernel drops those locks
 * when the holder's file descriptors close, so a killed engine (SIGKILL, a crash, a lost power
 * supply) never blocks the next one, whether or not its process has been reaped; no pid is ever
 * guessed at. SQLite's unix VFS also sees a second holder in the same process (POSIX locks alone
 * would not), so two engines of one app refuse each other too.
 *
 * Who holds the lock is written beside it (`lock-owner.json`) once it is taken, only to name the
 * holder when another engine is refused and for `wsync status`: the lock itself decides.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import * as z from 'zod';
import { WsyncError } from '../errors.js';
import { folderLayout } from './folder-layout.js';

const LockOwnerSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string() });

export type LockOwner = z.infer<typeof LockOwnerSchema>;

export interface FolderLock {
  readonly owner: LockOwner;
  /** Idempotent. */
  release(): void;
}

export class FolderLockedError extends WsyncError {
  /** The holder as it named itself; null when it has not written its name yet. */
  readonly owner: LockOwner | null;
  constructor(root: string, owner: LockOwner | null) {
    const who = owner === null ? '' : ` (pid ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`})`;
    super('fatal', `another wsync engine${who} is already syncing ${root}; stop it first, or wait for it to finish`, { code: 'LOCKED' });
    this.owner = owner;
  }
}

/** A second engine rides out a `wsync status` probe that holds a read lock for a moment. */
const ACQUIRE_TIMEOUT_MS = 250;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

function readOwner(file: string): LockOwner | null {
  try {
    return LockOwnerSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The holder's name, for a message only. Right after taking the lock, a holder may not have
 * replaced the name a dead predecessor left: a name that is not a live process on this host is
 * read again for a moment before it is given up on.
 */
function holderName(file: string): LockOwner | null {
  for (let attempt = 0; attempt < 20; attempt++) {
    const owner = readOwner(file);
    if (owner !== null && (owner.host !== hostname() || isAlive(owner.pid))) return owner;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
  return null;
}

/** Takes the folder's lock, or throws FolderLockedError naming the engine that holds it. */
export function acquireFolderLock(root: string): FolderLock {
  const layout = folderLayout(root);
  mkdirSync(layout.stateDir, { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(layout.lock, { timeout: ACQUIRE_TIMEOUT_MS });
  } catch (err) {
    throw new WsyncError('local-io', `cannot open the folder lock ${layout.lock}: ${(err as Error).message}`, { cause: err });
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    // In exclusive locking mode the first write transaction's lock is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid, host, since) VALUES (?, ?, ?)').run(owner.pid, owner.host, owner.since);
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    if (isBusy(err)) throw new FolderLockedError(root, holderName(layout.lockOwner));
    throw new WsyncError('local-io', `cannot take the folder lock ${layout.lock}: ${(err as Error).message}`, { cause: err });
  }
  const staged = `${layout.lockOwner}.${process.pid}`;
  writeFileSync(staged, JSON.stringify(owner));
  renameSync(staged, layout.lockOwner);
  let released = false;
  return {
    owner,
    release() {
      if (released) return;
      released = true;
      try {
        const named = readOwner(layout.lockOwner);
        if (named?.pid === owner.pid && named.since === owner.since) unlinkSync(layout.lockOwner);
      } finally {
        db.close();
      }
    },
  };
}

/**
 * Who holds the folder's lock now, without taking it (a read lock for a moment): null when no
 * engine does, `unknown` when one does but has not named itself.
 */
export function folderLockHolder(root: string): LockOwner | 'unknown' | null {
  const layout = folderLayout(root);
  let db: Database.Database;
  try {
    db = new Database(layout.lock, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch {
    return null; // never locked
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return null;
  } catch (err) {
    return isBusy(err) ? (holderName(layout.lockOwner) ?? 'unknown') : null;
  } finally {
    db.close();
  }
}
