/**
 * What `wsync status` says about a folder, decided from what the folder keeps (the last cycle's
 * outcome, the journal, the watch's saved status, the base) and a look at the local files, never
 * the server. A pure function of those facts, tested as a table. "Up to date" is said only when
 * the last cycle found both sides equal, nothing since then was left unfinished, and no local file
 * changed after it; "the server was not asked" is said with it.
 */
import type { Activity, FileError, FolderStatus, SyncState } from '../shared/status.js';
import type { RunOutcome } from '../engine/status/saved-status.js';
import { STATE_LABEL, plural } from '../shared/format.js';

export interface LocalChanges {
  added: string[];
  modified: string[];
  deleted: string[];
}

export interface StatusFacts {
  dir: string;
  binding: { server: string; workspace: string; prefix: string };
  /** The status a background engine saved (watch), if one ever ran here. */
  saved: FolderStatus | null;
  lastSyncAt: string | null;
  recent: Activity[];
  syncedFiles: number;
  lastRun: RunOutcome | null;
  /** Start times (epoch ms) of journal intents no run has closed: a run stopped half-way. */
  unfinishedIntents: number[];
  /** The engine holding the folder now, or null when none does. */
  engine: { pid: number | null } | null;
  /** Local differences from the base, or null when not looked at (an engine is running). */
  local: LocalChanges | null;
}

export interface FolderReport {
  status: FolderStatus;
  /** The state in one sentence, as the report's first line says it. */
  headline: string;
  running: boolean;
  engine: { pid: number | null } | null;
  syncedFiles: number;
  lastRun: RunOutcome | null;
  localChanges: LocalChanges | null;
}

const NOT_ASKED = 'as of the last sync; the server was not asked';

function localSummary(c: LocalChanges): string {
  const parts = [
    c.modified.length > 0 ? `${c.modified.length} edited` : '',
    c.added.length > 0 ? `${c.added.length} new` : '',
    c.deleted.length > 0 ? `${c.deleted.length} deleted` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

export function localChangeCount(c: LocalChanges | null): number {
  return c === null ? 0 : c.added.length + c.modified.length + c.deleted.length;
}

/** The state and its sentence from the last cycle's outcome alone. */
function fromLastRun(facts: StatusFacts): { state: SyncState; headline: string } {
  const run = facts.lastRun;
  if (run === null) {
    // A background engine that ran cycles of its own kind (no record) saved its status after each.
    const saved = facts.saved;
    if (saved !== null && saved.state !== 'syncing' && saved.lastSyncAt !== null) {
      return { state: saved.state, headline: `${STATE_LABEL[saved.state]}${saved.message ? `: ${saved.message}` : ''}` };
    }
    if (facts.syncedFiles === 0) return { state: 'paused', headline: 'Not synced yet: no sync has run here' };
    return { state: 'paused', headline: 'The first sync did not finish (it was stopped); run wsync again to finish it' };
  }
  const which = run.firstSync ? 'The first sync' : 'The last sync';
  const stoppedLater = facts.unfinishedIntents.some((at) => at > Date.parse(run.finishedAt));
  if (stoppedLater) return { state: 'paused', headline: 'The last sync was stopped before it finished; run wsync again to finish it' };
  switch (run.result) {
    case 'interrupted':
      return { state: 'paused', headline: `${which} was stopped before it finished; run wsync again to finish it` };
    case 'failed':
      return { state: 'error', headline: `${which} failed: ${run.message ?? 'unknown error'}` };
    case 'held': {
      const n = run.held.reduce((sum, h) => sum + h.paths.length, 0);
      return { state: 'needs-confirmation', headline: `${plural(n, 'deletion')} wait for your confirmation (wsync sync --once --confirm-deletes)` };
    }
    case 'partial': {
      const n = run.failed.length + run.deferred.length + run.refused.length + run.unreadable.length;
      return { state: 'error', headline: `Not fully synced: ${plural(n, 'file')} could not be synced in the last sync` };
    }
    case 'synced':
      return { state: 'idle', headline: `Up to date (${NOT_ASKED})` };
  }
}

export function decideFolderReport(facts: StatusFacts): FolderReport {
  const run = facts.lastRun;
  let { state, headline } = fromLastRun(facts);
  const changes = localChangeCount(facts.local);
  if (facts.engine !== null) {
    state = 'syncing';
    headline = `An engine is syncing this folder now${facts.engine.pid === null ? '' : ` (pid ${facts.engine.pid})`}`;
  } else if (changes > 0 && facts.local !== null) {
    const local = `${plural(changes, 'local change')} not synced yet (${localSummary(facts.local)})`;
    if (state === 'idle') {
      state = 'paused';
      headline = `Not up to date: ${local}`;
    } else {
      headline = `${headline}; ${local}`;
    }
  }
  const finishedAt = run?.finishedAt ?? facts.lastSyncAt ?? '';
  const errors: FileError[] = (run?.failed ?? []).map((f) => ({
    path: f.path,
    kind: f.kind,
    message: f.message,
    at: finishedAt,
    attempts: f.attempts,
    ...(f.nextAttemptAt === undefined ? {} : { nextAttemptAt: f.nextAttemptAt }),
  }));
  const pendingRun = run?.pending ?? { uploads: 0, downloads: 0, deletes: 0, bytes: 0 };
  const local = facts.local ?? { added: [], modified: [], deleted: [] };
  const status: FolderStatus = {
    folderId: facts.dir,
    dir: facts.dir,
    server: facts.binding.server,
    workspace: facts.binding.workspace,
    prefix: facts.binding.prefix,
    state,
    message: headline,
    pending: {
      uploads: pendingRun.uploads + local.added.length + local.modified.length,
      downloads: pendingRun.downloads,
      deletes: pendingRun.deletes + local.deleted.length,
      bytes: pendingRun.bytes,
    },
    transfers: [],
    lastSyncAt: facts.lastSyncAt,
    recent: facts.recent,
    conflicts: facts.saved?.conflicts ?? [],
    errors: run === null ? (facts.saved?.errors ?? []) : errors,
    heldDeletions: run === null ? (facts.saved?.heldDeletions ?? []) : run.held,
  };
  return {
    status,
    headline,
    running: facts.engine !== null,
    engine: facts.engine,
    syncedFiles: facts.syncedFiles,
    lastRun: run,
    localChanges: facts.local,
  };
}
