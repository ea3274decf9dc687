/**
 * A folder session: the one owner of a sync folder while it is synced. Opening it takes the
 * folder lock, opens the state database, checks the folder's binding and empties the scratch
 * folder; it is held for a whole `sync --once` and for a background controller's whole life, so
 * user actions (conflict resolution, restoring held deletions) run inside it too. Every write to
 * the state database goes through its one writer.
 *
 * A read-only session (a dry run) takes no lock and creates nothing: it reads the database if
 * there is one, and writes nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { WsyncError } from '../../errors.js';
import { clearScratch, folderLayout, type FolderLayout } from '../../local/folder-layout.js';
import { loadIgnoreMatcher } from '../../local/ignore.js';
import { acquireFolderLock, type FolderLock } from '../../local/lock.js';
import { refuseNestedFolder } from '../../local/nested-folders.js';
import { describeBinding, normalizeServer, sameBinding, type Binding } from '../../model/binding.js';
import { StateDb, type StateReader } from '../../state/state-db.js';
import { createStateWriter, type StateWriter, type StateWriterOptions } from '../../state/state-writer.js';
import { checkPrefix } from '../../validate/prefix.js';

export interface FolderSessionOptions {
  /** Absolute path of the sync folder (created when missing, except read-only). */
  root: string;
  server: string;
  workspace: string;
  prefix?: string | undefined;
  /** The user asked to bind the folder anew: a base of another binding is dropped (a first sync), not refused. */
  rebind?: boolean | undefined;
  /** Plan only: no lock, nothing created, nothing written. */
  readOnly?: boolean | undefined;
  /** When the state writer's batch and fsync deadlines come (state-writer.ts; default: timers). */
  writerLater?: StateWriterOptions['later'] | undefined;
}

export interface FolderSession {
  readonly root: string;
  readonly layout: FolderLayout;
  readonly binding: Binding;
  readonly state: StateReader;
  /** Null in a read-only session. */
  readonly writer: StateWriter | null;
  /** The folder was bound elsewhere and the user re-bound it: its old base was dropped. */
  readonly rebound: boolean;
  /** Lands what the writer holds, closes the database, empties the scratch folder and releases the lock. */
  close(): Promise<void>;
}

/** What a folder never synced reads as. */
const NO_STATE: StateReader = {
  getBase: () => undefined,
  allBase: () => [],
  basePage: () => [],
  hasBase: () => false,
  baseCount: () => 0,
  pendingIntents: () => [],
  getMeta: () => undefined,
  recentActivity: () => [],
  fileBackoffs: () => [],
};

/** The binding asked for, checked: a stored setting may predate the checks where it was entered. */
export function bindingOf(options: Pick<FolderSessionOptions, 'server' | 'workspace' | 'prefix'>): Binding {
  const server = normalizeServer(options.server);
  if (server === null) throw new WsyncError('fatal', `${JSON.stringify(options.server)} is not a server URL`, { code: 'USAGE' });
  const prefix = checkPrefix(options.prefix ?? '');
  if (!prefix.ok) throw new WsyncError('fatal', prefix.message, { code: 'USAGE' });
  return { server, workspace: options.workspace, prefix: prefix.prefix };
}

/** The binding the base was recorded under, or null when there is no base to protect. */
function boundTo(state: StateReader): Binding | null {
  const workspace = state.getMeta('workspace');
  if (!state.hasBase() || workspace === undefined) return null;
  const recorded = state.getMeta('server');
  const server = recorded === undefined ? null : normalizeServer(recorded);
  // A database from before servers were recorded has no server to compare: it matches any.
  return { server: server ?? '', workspace, prefix: state.getMeta('prefix') ?? '' };
}

function refusal(bound: Binding, wanted: Binding): WsyncError {
  return new WsyncError(
    'fatal',
    `this folder is synced with ${describeBinding(bound)}; it cannot be synced with ${describeBinding(wanted)} as well ` +
      '(re-binding it makes its next sync a first sync: the files on both sides are kept, what differs becomes a conflict copy, nothing is deleted)',
    { code: 'BOUND_ELSEWHERE' },
  );
}

/**
 * Whether a base recorded under `bound` may be reconciled against `wanted`. Null: it may. Else
 * the folder is bound elsewhere.
 */
function mismatch(bound: Binding | null, wanted: Binding): Binding | null {
  if (bound === null) return null;
  const same = bound.server === '' ? bound.workspace === wanted.workspace && bound.prefix === wanted.prefix : sameBinding(bound, wanted);
  return same ? null : bound;
}

export async function openFolderSession(options: FolderSessionOptions): Promise<FolderSession> {
  const binding = bindingOf(options);
  const layout = folderLayout(options.root);
  // Before anything is created under root: a folder inside or around another synced one copies itself without end.
  await refuseNestedFolder(options.root, await loadIgnoreMatcher(options.root));
  if (options.readOnly === true) return openReadOnly(options, layout, binding);

  await mkdir(options.root, { recursive: true });
  const lock: FolderLock = acquireFolderLock(options.root);
  let db: StateDb | null = null;
  try {
    db = StateDb.open(layout.stateDb);
    const elsewhere = mismatch(boundTo(db), binding);
    if (elsewhere !== null && options.rebind !== true) throw refusal(elsewhere, binding);
    if (elsewhere !== null) db.rebind(binding);
    // Written only when it changed: a cycle over a synced folder then opens no write before its end.
    else if (db.getMeta('server') !== binding.server || db.getMeta('workspace') !== binding.workspace || db.getMeta('prefix') !== binding.prefix) {
      db.setMeta(binding);
    }
    // What a killed process left in the scratch folder is incomplete and referenced by nothing.
    await clearScratch(layout);
    const opened = db;
    const writer = createStateWriter(opened, options.writerLater === undefined ? {} : { later: options.writerLater });
    let closed = false;
    return {
      root: options.root,
      layout,
      binding,
      state: opened,
      writer,
      rebound: elsewhere !== null,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await writer.drain();
        } finally {
          opened.close();
          await clearScratch(layout).catch(() => 0);
          lock.release();
        }
      },
    };
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
}

function openReadOnly(options: FolderSessionOptions, layout: FolderLayout, binding: Binding): FolderSession {
  const db = existsSync(layout.stateDb) ? StateDb.open(layout.stateDb, { readonly: true }) : null;
  const elsewhere = db === null ? null : mismatch(boundTo(db), binding);
  if (elsewhere !== null && options.rebind !== true) {
    db?.close();
    throw refusal(elsewhere, binding);
  }
  return {
    root: options.root,
    layout,
    binding,
    // Re-bound, the old base counts for nothing: the plan is a first sync's.
    state: db === null || elsewhere !== null ? NO_STATE : db,
    writer: null,
    rebound: elsewhere !== null,
    async close() {
      db?.close();
    },
  };
}
