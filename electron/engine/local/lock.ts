/**
 * One engine per folder: `.wsync/lock` holds the owner's pid. A lock whose pid is dead (on this
 * host) is stale and taken over; a live one makes the second engine stop with a clear error.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { WsyncError } from '../errors.js';
import { folderLayout } from './folder-layout.js';

const LockFileSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string() });

export interface FolderLock {
  readonly file: string;
  release(): void;
}

export class FolderLockedError extends WsyncError {
  readonly ownerPid: number;
  constructor(dir: string, ownerPid: number) {
    super('fatal', `another wsync engine (pid ${ownerPid}) is already syncing ${dir}`, { code: 'LOCKED' });
    this.ownerPid = ownerPid;
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

function readOwner(file: string): z.infer<typeof LockFileSchema> | null {
  try {
    return LockFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null; // missing, half-written or foreign: treated as stale
  }
}

function isFresh(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

export function acquireFolderLock(root: string): FolderLock {
  const dir = folderLayout(root).stateDir;
  const file = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  const body = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, body, { flag: 'wx' });
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (readOwner(file)?.pid === process.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new WsyncError('local-io', `cannot create ${file}: ${(err as Error).message}`, { cause: err });
      }
    }
    const owner = readOwner(file);
    if (owner === null && isFresh(file)) throw new FolderLockedError(root, -1); // being written right now
    // Another host's pid means nothing here, and our own pid means a second engine in this process.
    if (owner !== null && (owner.host !== hostname() || owner.pid === process.pid || isAlive(owner.pid))) {
      throw new FolderLockedError(root, owner.pid);
    }
    try {
      unlinkSync(file);
    } catch {
      // Someone else removed the stale lock first; the next attempt decides.
    }
  }
  throw new FolderLockedError(root, readOwner(file)?.pid ?? -1);
}
