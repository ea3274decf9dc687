/**
 * `wsync status [--dir FOLDER] [--json]`: a folder's status from what it keeps (state database,
 * last-run record, lock) and a look at its files, without syncing or touching the network. What it
 * says is folder-report.ts's decision.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateDb } from '../engine/state/state-db.js';
import { folderLayout } from '../engine/local/folder-layout.js';
import { loadIgnoreMatcher } from '../engine/local/ignore.js';
import { folderLockHolder } from '../engine/local/lock.js';
import { scanFolder } from '../engine/local/scan.js';
import type { BaseEntry } from '../engine/model/trees.js';
import { readRunOutcome, savedActivity, savedStatus } from '../engine/status/saved-status.js';
import { decideFolderReport, type FolderReport, type LocalChanges, type StatusFacts } from './folder-report.js';
import { findSyncedFolder } from './folder-target.js';
import type { CliProcess } from './main.js';
import type { StatusFlags } from './options.js';
import { formatStatusReport } from './status-format.js';

export interface StatusOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The files that differ from the base: hashed only where size, mtime or inode changed. */
async function localChanges(dir: string, base: BaseEntry[]): Promise<LocalChanges | null> {
  const byPath = new Map(base.map((b) => [b.path, b]));
  let scan;
  try {
    scan = await scanFolder(dir, { ignore: await loadIgnoreMatcher(dir), base: (p) => byPath.get(p) });
  } catch {
    return null; // unreadable as a whole (or a nested synced folder): the report says nothing about local files
  }
  const unreadable = (path: string): boolean =>
    scan.unreadable.some((u) => u.path === '' || path === u.path || (u.path.endsWith('/') && path.startsWith(u.path)));
  const seen = new Set<string>();
  const changes: LocalChanges = { added: [], modified: [], deleted: [] };
  for (const e of scan.entries) {
    seen.add(e.path);
    const b = byPath.get(e.path);
    if (b === undefined) changes.added.push(e.path);
    else if (b.hash !== e.hash) changes.modified.push(e.path);
  }
  for (const b of base) if (!seen.has(b.path) && !unreadable(b.path)) changes.deleted.push(b.path);
  return changes;
}

/** Everything the folder keeps that the report is decided from. */
export async function readStatusFacts(dir: string): Promise<StatusFacts> {
  const layout = folderLayout(dir);
  const holder = folderLockHolder(dir);
  const db = StateDb.open(layout.stateDb, { readonly: true });
  let base: BaseEntry[];
  let facts: Omit<StatusFacts, 'local'>;
  try {
    base = holder === null ? db.allBase() : [];
    facts = {
      dir,
      binding: { server: db.getMeta('server') ?? '', workspace: db.getMeta('workspace') ?? '', prefix: db.getMeta('prefix') ?? '' },
      saved: savedStatus(db),
      lastSyncAt: db.getMeta('lastSyncAt') ?? null,
      recent: savedActivity(db),
      syncedFiles: db.baseCount(),
      lastRun: readRunOutcome(layout),
      unfinishedIntents: db.pendingIntents().map((i) => i.startedAt),
      engine: holder === null ? null : { pid: holder === 'unknown' ? null : holder.pid },
    };
  } finally {
    db.close();
  }
  // A running engine sees local changes itself; looking here would only race with it.
  return { ...facts, local: holder === null ? await localChanges(dir, base) : null };
}

function jsonOf(report: FolderReport): unknown {
  return {
    ...report.status,
    syncedFiles: report.syncedFiles,
    running: report.running,
    engine: report.engine,
    lastRun: report.lastRun,
    localChanges: report.localChanges,
  };
}

/** Runs the command; returns the exit status (0, or 2 when the folder was never synced). */
export async function runStatus(options: { dir: string; json?: boolean; verbose?: boolean }, out: StatusOutput): Promise<number> {
  const dir = resolve(options.dir);
  if (!existsSync(folderLayout(dir).stateDb)) {
    const message = `${dir} has never been synced (no .wsync/state.db)`;
    if (options.json) out.stdout(`${JSON.stringify({ exitCode: 2, error: { kind: 'folder', code: 'never-synced', message } })}\n`);
    out.stderr(`wsync: ${message}\n`);
    return 2;
  }
  const report = decideFolderReport(await readStatusFacts(dir));
  if (options.json) out.stdout(`${JSON.stringify(jsonOf(report))}\n`);
  else out.stdout(`${formatStatusReport(report, { verbose: options.verbose === true }).join('\n')}\n`);
  return 0;
}

export async function runStatusCommand(flags: StatusFlags, proc: Omit<CliProcess, 'argv'>): Promise<number> {
  const dir = flags.dir ?? findSyncedFolder(proc.cwd);
  const out = { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
  if (dir === null) {
    const message = 'no folder given: pass --dir FOLDER, or run wsync inside a folder it syncs';
    if (flags.json) out.stdout(`${JSON.stringify({ exitCode: 2, error: { kind: 'usage', message } })}\n`);
    out.stderr(`wsync: ${message}\n`);
    return 2;
  }
  return runStatus({ dir: resolve(proc.cwd, dir), json: flags.json === true, verbose: flags.verbose === true }, out);
}
