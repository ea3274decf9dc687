/**
 * `wsync status --dir FOLDER [--json]`: the last known status of a folder, read from its state
 * database without syncing or touching the network.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActivitySchema, FolderStatusSchema, type Activity, type FolderStatus } from '../shared/status.js';
import { StateDb } from '../engine/state/state-db.js';
import { folderLayout } from '../engine/local/folder-layout.js';
import { folderLockHolder } from '../engine/local/lock.js';
import { findSyncedFolder } from './folder-target.js';
import type { CliProcess } from './main.js';
import type { StatusFlags } from './options.js';
import { formatStatusReport } from './status-format.js';

export interface StatusOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The pid of the engine holding the folder now (-1: one does, unnamed), or null. */
function runningEngine(dir: string): number | null {
  const holder = folderLockHolder(dir);
  return holder === null ? null : holder === 'unknown' ? -1 : holder.pid;
}

/** What the database knows: the status the engine last saved, refreshed with its activity and base. */
export function readFolderStatus(dir: string): { status: FolderStatus; syncedFiles: number } {
  const db = StateDb.open(folderLayout(dir).stateDb, { readonly: true });
  try {
    const recent: Activity[] = db
      .recentActivity()
      .map((row) => ActivitySchema.safeParse({ ...row, detail: row.detail ?? undefined }))
      .flatMap((r) => (r.success ? [r.data] : []));
    const saved = FolderStatusSchema.safeParse(safeJson(db.getMeta('lastStatus')));
    const base: FolderStatus = saved.success
      ? saved.data
      : {
          folderId: dir,
          dir,
          server: db.getMeta('server') ?? '',
          workspace: db.getMeta('workspace') ?? '',
          prefix: db.getMeta('prefix') ?? '',
          state: 'idle',
          pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
          transfers: [],
          lastSyncAt: null,
          recent: [],
          conflicts: [],
          errors: [],
          heldDeletions: [],
        };
    const lastSyncAt = [base.lastSyncAt, db.getMeta('lastSyncAt') ?? null]
      .filter((v): v is string => v !== null)
      .sort()
      .at(-1);
    return {
      status: { ...base, dir, transfers: [], recent, lastSyncAt: lastSyncAt ?? null },
      syncedFiles: db.baseCount(),
    };
  } finally {
    db.close();
  }
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs the command; returns the exit status (0, or 2 when the folder was never synced). */
export function runStatus(options: { dir: string; json?: boolean }, out: StatusOutput): number {
  const dir = resolve(options.dir);
  if (!existsSync(folderLayout(dir).stateDb)) {
    const message = `${dir} has never been synced (no .wsync/state.db)`;
    if (options.json) out.stdout(`${JSON.stringify({ exitCode: 2, error: { kind: 'folder', code: 'never-synced', message } })}\n`);
    out.stderr(`wsync: ${message}\n`);
    return 2;
  }
  const { status, syncedFiles } = readFolderStatus(dir);
  const pid = runningEngine(dir);
  if (options.json) {
    out.stdout(`${JSON.stringify({ ...status, syncedFiles, running: pid !== null })}\n`);
  } else {
    out.stdout(`${formatStatusReport(status, { syncedFiles, runningPid: pid }).join('\n')}\n`);
  }
  return 0;
}

export async function runStatusCommand(flags: StatusFlags, proc: Omit<CliProcess, 'argv'>): Promise<number> {
  const dir = flags.dir ?? findSyncedFolder(proc.cwd);
  const out = { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
  if (dir === null) {
    out.stderr('wsync: no folder given: pass --dir FOLDER, or run wsync inside a folder it syncs\n');
    return 2;
  }
  return runStatus({ dir: resolve(proc.cwd, dir), ...(flags.json === undefined ? {} : { json: flags.json }) }, out);
}
