/**
 * The folder's state database (`FOLDER/.wsync/state.db`): the synced base per path, the journal of
 * operations in flight, folder metadata and recent activity. The only module that writes SQL; its
 * one writer at run time is the folder session's StateWriter (state-writer.ts), and everyone else
 * reads it as a StateReader.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as z from 'zod';

import type { BaseEntry } from '../model/trees.js';
import { WsyncError } from '../errors.js';

/** Each step moves the schema from version i to i+1; applied steps are recorded in `migrations`. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE base (
     path TEXT PRIMARY KEY,
     remote_key TEXT NOT NULL,
     etag TEXT,
     remote_size INTEGER NOT NULL,
     local_size INTEGER NOT NULL,
     local_mtime_ms REAL NOT NULL,
     local_ino INTEGER NOT NULL,
     hash TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE journal (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     op TEXT NOT NULL,
     paths TEXT NOT NULL,
     started_at INTEGER NOT NULL
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE activity (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     path TEXT NOT NULL,
     action TEXT NOT NULL,
     decision INTEGER NOT NULL,
     detail TEXT
   );
   CREATE TABLE notices (kind TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (kind, path)) WITHOUT ROWID;`,
  // Per path, the version an intent moves, so that recovery can tell a finished transfer from a
  // later user edit. Rows written before this step have none (NULL).
  `ALTER TABLE journal ADD COLUMN versions TEXT;`,
  // Per-file back-off across cycles (Nextcloud's error blacklist): a file that keeps failing is
  // not tried again before next_attempt_at, unless what was planned for it changed (fingerprint).
  `CREATE TABLE file_backoff (
     path TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     failures INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     attempts INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Recent activity kept for the status model; older rows are dropped as new ones arrive. */
export const ACTIVITY_CAP = 300;

export interface JournalEntry {
  id: number;
  op: string;
  /** Every relative path the operation may touch. */
  paths: string[];
  startedAt: number;
  /** Per path, the version the operation moves there (empty for rows from before schema 2). */
  versions: Record<string, IntentVersion>;
}

/** The bytes an intent moves to one path: their MD5 and, when they come from the server, which object. */
export interface IntentVersion {
  hash?: string | undefined;
  remote?: { key: string; etag?: string | undefined; size: number } | undefined;
}

export interface Intent {
  op: string;
  paths: string[];
  versions?: Record<string, IntentVersion>;
}

export interface ActivityRecord {
  path: string;
  action: string;
  decision: number;
  detail?: string | undefined;
  at?: string | undefined;
}

export interface StoredActivity {
  id: number;
  at: string;
  path: string;
  action: string;
  decision: number;
  detail: string | undefined;
}

/**
 * `server`, `workspace` and `prefix` are the folder's binding (model/binding.ts; the server
 * normalised); `lastStatus` is the status model's saved FolderStatus (JSON, written by the folder
 * controller).
 */
export type MetaKey = 'server' | 'workspace' | 'prefix' | 'lastSyncAt' | 'lastStatus';

/** A unit of work applied in one transaction by `StateDb.apply`. */
/** A file that failed in earlier cycles, and when it may be tried again (epoch ms). */
export interface FileBackoff {
  path: string;
  /** What was planned for the path when it failed: another plan is tried at once. */
  fingerprint: string;
  /** Cycles in a row that failed. */
  failures: number;
  nextAttemptAt: number;
  /** The last failure: its error kind, message and the attempts its step made. */
  kind: string;
  message: string;
  attempts: number;
}

export type StateWrite =
  | { kind: 'put-base'; entry: BaseEntry }
  | { kind: 'put-backoff'; backoff: FileBackoff }
  | { kind: 'delete-backoff'; path: string }
  | { kind: 'delete-base'; path: string }
  | { kind: 'finish-intent'; id: number }
  | { kind: 'activity'; record: ActivityRecord };

interface BaseRow {
  path: string;
  remote_key: string;
  etag: string | null;
  remote_size: number;
  local_size: number;
  local_mtime_ms: number;
  local_ino: number;
  hash: string;
}

function toEntry(row: BaseRow): BaseEntry {
  return {
    path: row.path,
    remoteKey: row.remote_key,
    etag: row.etag ?? undefined,
    remoteSize: row.remote_size,
    localSize: row.local_size,
    localMtimeMs: row.local_mtime_ms,
    localIno: row.local_ino,
    hash: row.hash,
  };
}

/** What the state database offers to those who only read it. */
export type StateReader = Pick<
  StateDb,
  'getBase' | 'allBase' | 'basePage' | 'hasBase' | 'baseCount' | 'pendingIntents' | 'getMeta' | 'recentActivity' | 'fileBackoffs'
>;

export interface StateDbOptions {
  readonly?: boolean;
}

export class StateDb {
  private readonly db: Database.Database;
  private readonly stmts;

  private constructor(db: Database.Database) {
    this.db = db;
    this.stmts = {
      getBase: db.prepare<[string], BaseRow>('SELECT * FROM base WHERE path = ?'),
      allBase: db.prepare<[], BaseRow>('SELECT * FROM base ORDER BY path'),
      // Columns named as BaseEntry's fields: each row is the entry, with no second object per row.
      basePage: db
        .prepare<[string, number], [string, string, string | null, number, number, number, number, string]>(
          `SELECT path, remote_key, etag, remote_size, local_size, local_mtime_ms, local_ino, hash
           FROM base WHERE path > ? ORDER BY path LIMIT ?`,
        )
        .raw(true),
      hasBase: db.prepare<[], { found: number }>('SELECT EXISTS (SELECT 1 FROM base) AS found'),
      putBase: db.prepare(
        `INSERT INTO base (path, remote_key, etag, remote_size, local_size, local_mtime_ms, local_ino, hash)
         VALUES (@path, @remoteKey, @etag, @remoteSize, @localSize, @localMtimeMs, @localIno, @hash)
         ON CONFLICT(path) DO UPDATE SET remote_key = excluded.remote_key, etag = excluded.etag,
           remote_size = excluded.remote_size, local_size = excluded.local_size,
           local_mtime_ms = excluded.local_mtime_ms, local_ino = excluded.local_ino, hash = excluded.hash`,
      ),
      deleteBase: db.prepare<[string]>('DELETE FROM base WHERE path = ?'),
      countBase: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM base'),
      insertIntent: db.prepare<[string, string, number, string | null]>('INSERT INTO journal (op, paths, started_at, versions) VALUES (?, ?, ?, ?)'),
      deleteIntent: db.prepare<[number]>('DELETE FROM journal WHERE id = ?'),
      pendingIntents: db.prepare<[], { id: number; op: string; paths: string; started_at: number; versions: string | null }>(
        'SELECT * FROM journal ORDER BY id',
      ),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      insertActivity: db.prepare<[string, string, string, number, string | null]>(
        'INSERT INTO activity (at, path, action, decision, detail) VALUES (?, ?, ?, ?, ?)',
      ),
      trimActivity: db.prepare<[number]>('DELETE FROM activity WHERE id <= (SELECT id FROM activity ORDER BY id DESC LIMIT 1 OFFSET ?)'),
      recentActivity: db.prepare<[number], { id: number; at: string; path: string; action: string; decision: number; detail: string | null }>(
        'SELECT * FROM activity ORDER BY id DESC LIMIT ?',
      ),
      addNotice: db.prepare<[string, string]>('INSERT OR IGNORE INTO notices (kind, path) VALUES (?, ?)'),
      putBackoff: db.prepare(
        `INSERT INTO file_backoff (path, fingerprint, failures, next_attempt_at, kind, message, attempts)
         VALUES (@path, @fingerprint, @failures, @nextAttemptAt, @kind, @message, @attempts)
         ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, failures = excluded.failures,
           next_attempt_at = excluded.next_attempt_at, kind = excluded.kind, message = excluded.message, attempts = excluded.attempts`,
      ),
      deleteBackoff: db.prepare<[string]>('DELETE FROM file_backoff WHERE path = ?'),
      allBackoffs: db.prepare<
        [],
        { path: string; fingerprint: string; failures: number; next_attempt_at: number; kind: string; message: string; attempts: number }
      >('SELECT * FROM file_backoff ORDER BY path'),
    };
  }

  /** Opens (creating if needed) and migrates the database at `file`. */
  static open(file: string, options: StateDbOptions = {}): StateDb {
    let db: Database.Database;
    try {
      if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        // NORMAL under WAL survives a killed process; only a power cut may lose the last commits.
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('busy_timeout = 5000');
      // SQLite's own default page cache (2 MB), not better-sqlite3's 16 MB: a watcher keeps the
      // connection open for days, and a cache filled by one read of a large base stayed resident.
      db.pragma('cache_size = -2000');
      if (!options.readonly) migrate(db);
      else if (currentVersion(db) !== SCHEMA_VERSION) {
        throw new WsyncError('fatal', `state database ${file} has schema ${currentVersion(db)}, expected ${SCHEMA_VERSION}`);
      }
    } catch (err) {
      if (err instanceof WsyncError) throw err;
      throw new WsyncError('local-io', `cannot open the state database ${file}: ${(err as Error).message}`, { cause: err });
    }
    return new StateDb(db);
  }

  get schemaVersion(): number {
    return currentVersion(this.db);
  }

  getBase(path: string): BaseEntry | undefined {
    const row = this.stmts.getBase.get(path);
    return row === undefined ? undefined : toEntry(row);
  }

  allBase(): BaseEntry[] {
    return this.stmts.allBase.all().map(toEntry);
  }

  /**
   * Up to `limit` base rows after the path `after` ('' = from the start), in path order: a large
   * base is read in pages, so the caller can let other work run between them.
   */
  basePage(after: string, limit: number): BaseEntry[] {
    // Raw rows: the driver builds a named row property by property, slower than a literal here.
    return this.stmts.basePage.all(after, limit).map(([path, remoteKey, etag, remoteSize, localSize, localMtimeMs, localIno, hash]) => ({
      path,
      remoteKey,
      etag: etag ?? undefined,
      remoteSize,
      localSize,
      localMtimeMs,
      localIno,
      hash,
    }));
  }

  /** Whether any path has been synced (cheaper than counting a large base). */
  hasBase(): boolean {
    return this.stmts.hasBase.get()?.found === 1;
  }

  baseCount(): number {
    return this.stmts.countBase.get()?.n ?? 0;
  }

  /** Records intents before their operations start, all in one transaction; returns their ids in order. */
  beginIntents(intents: Intent[], now = Date.now()): number[] {
    return this.db.transaction(() =>
      intents.map((i) =>
        Number(
          this.stmts.insertIntent.run(i.op, JSON.stringify(i.paths), now, i.versions === undefined ? null : JSON.stringify(i.versions))
            .lastInsertRowid,
        ),
      ),
    )();
  }

  pendingIntents(): JournalEntry[] {
    return this.stmts.pendingIntents.all().map((r) => ({
      id: r.id,
      op: r.op,
      paths: parsePaths(r.paths),
      startedAt: r.started_at,
      versions: r.versions === null ? {} : parseVersions(r.versions),
    }));
  }

  /** Applies a batch of writes atomically. */
  apply(writes: readonly StateWrite[]): void {
    if (writes.length === 0) return;
    let activity = false;
    this.db.transaction(() => {
      for (const w of writes) {
        switch (w.kind) {
          case 'put-base':
            this.stmts.putBase.run({ ...w.entry, etag: w.entry.etag ?? null });
            break;
          case 'delete-base':
            this.stmts.deleteBase.run(w.path);
            break;
          case 'put-backoff':
            this.stmts.putBackoff.run(w.backoff);
            break;
          case 'delete-backoff':
            this.stmts.deleteBackoff.run(w.path);
            break;
          case 'finish-intent':
            this.stmts.deleteIntent.run(w.id);
            break;
          case 'activity':
            activity = true;
            this.stmts.insertActivity.run(
              w.record.at ?? new Date().toISOString(),
              w.record.path,
              w.record.action,
              w.record.decision,
              w.record.detail ?? null,
            );
            break;
        }
      }
      if (activity) this.stmts.trimActivity.run(ACTIVITY_CAP);
    })();
  }

  getMeta(key: MetaKey): string | undefined {
    return this.stmts.getMeta.get(key)?.value;
  }

  setMeta(values: Partial<Record<MetaKey, string>>): void {
    this.db.transaction(() => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Partial lets a caller pass undefined; Object.entries's type drops it
      for (const [k, v] of Object.entries(values)) if (v !== undefined) this.stmts.setMeta.run(k, v);
    })();
  }

  /**
   * The folder is bound anew: the base, the journal and the notices of the old binding say nothing
   * about the new one and go, in the same transaction that records the new binding.
   */
  rebind(binding: Record<'server' | 'workspace' | 'prefix', string>): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM base; DELETE FROM journal; DELETE FROM notices;');
      for (const [k, v] of Object.entries(binding)) this.stmts.setMeta.run(k, v);
    })();
  }

  recentActivity(limit = ACTIVITY_CAP): StoredActivity[] {
    return this.stmts.recentActivity.all(limit).map((r) => ({ ...r, detail: r.detail ?? undefined }));
  }

  /** Every file in back-off (few: only files that failed), in path order. */
  fileBackoffs(): FileBackoff[] {
    return this.stmts.allBackoffs.all().map((r) => ({
      path: r.path,
      fingerprint: r.fingerprint,
      failures: r.failures,
      nextAttemptAt: r.next_attempt_at,
      kind: r.kind,
      message: r.message,
      attempts: r.attempts,
    }));
  }

  /** Returns the paths not noticed before, and remembers them, so each is reported once. */
  firstNotices(kind: string, paths: readonly string[]): string[] {
    return this.db.transaction(() => paths.filter((p) => this.stmts.addNotice.run(kind, p).changes > 0))();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function parsePaths(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((p): p is string => typeof p === 'string')) {
    throw new WsyncError('fatal', 'corrupt journal row in the state database');
  }
  return value;
}

const intentVersions = z.record(
  z.string(),
  z.object({
    hash: z.string().optional(),
    remote: z.object({ key: z.string(), etag: z.string().optional(), size: z.number() }).optional(),
  }),
);

function parseVersions(text: string): Record<string, IntentVersion> {
  const parsed = intentVersions.safeParse(JSON.parse(text));
  if (!parsed.success) throw new WsyncError('fatal', 'corrupt journal row in the state database');
  return parsed.data;
}

function currentVersion(db: Database.Database): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (exists === undefined) return 0;
  const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM migrations').get();
  return row?.v ?? 0;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const from = currentVersion(db);
  if (from > MIGRATIONS.length) {
    throw new WsyncError('fatal', `state database schema ${from} is newer than this client (${MIGRATIONS.length})`);
  }
  const record = db.prepare<[number, string]>('INSERT INTO migrations (version, applied_at) VALUES (?, ?)');
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      record.run(v + 1, new Date().toISOString());
    })();
  }
}
