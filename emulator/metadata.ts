import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

export interface FileRow {
  workspace: string;
  key: string;
  /** Relative path: folder + name. */
  path: string;
  size: number;
  etag: string;
  lastModified: string;
  contentType: string | null;
  description: string | null;
}

export interface PendingUpload {
  workspace: string;
  key: string;
  path: string;
  contentType: string;
  declaredSize: number;
  /** Unix seconds. */
  expiresAt: number;
}

interface FileRecord {
  workspace: string;
  key: string;
  path: string;
  size: number;
  etag: string;
  last_modified: string;
  content_type: string | null;
  description: string | null;
}

interface PendingRecord {
  workspace: string;
  key: string;
  path: string;
  content_type: string;
  declared_size: number;
  expires_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  key TEXT PRIMARY KEY,
  workspace TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  content_type TEXT,
  description TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS files_by_path ON files(workspace, path);
CREATE TABLE IF NOT EXISTS pending_uploads (
  key TEXT PRIMARY KEY,
  workspace TEXT NOT NULL,
  path TEXT NOT NULL,
  content_type TEXT NOT NULL,
  declared_size INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

function toRow(r: FileRecord): FileRow {
  return {
    workspace: r.workspace,
    key: r.key,
    path: r.path,
    size: r.size,
    etag: r.etag,
    lastModified: r.last_modified,
    contentType: r.content_type,
    description: r.description,
  };
}

function toPending(r: PendingRecord): PendingUpload {
  return {
    workspace: r.workspace,
    key: r.key,
    path: r.path,
    contentType: r.content_type,
    declaredSize: r.declared_size,
    expiresAt: r.expires_at,
  };
}

/** GLOB treats `*`, `?` and `[` as wildcards; brackets make each one literal. */
function globLiteral(text: string): string {
  return text.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** File metadata in SQLite (WAL), so that a restarted emulator serves the same workspace. */
export class MetadataStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  /** The storage-URL signing secret, created once per data folder so URLs outlive a restart. */
  signingSecret(): Buffer {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get('signing_secret') as { value: string } | undefined;
    if (row !== undefined) return Buffer.from(row.value, 'hex');
    const secret = randomBytes(32);
    this.db.prepare('INSERT INTO settings (name, value) VALUES (?, ?)').run('signing_secret', secret.toString('hex'));
    return secret;
  }

  /** One page ordered by path, strictly after `after`; `limit + 1` rows tell whether more follow. */
  listPage(workspace: string, prefix: string, after: string | null, limit: number): FileRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM files
         WHERE workspace = ? AND path >= ? AND path GLOB ? AND (? IS NULL OR path > ?)
         ORDER BY path LIMIT ?`,
      )
      .all(workspace, prefix, `${globLiteral(prefix)}*`, after, after, limit) as FileRecord[];
    return rows.map(toRow);
  }

  all(workspace: string): FileRow[] {
    const rows = this.db.prepare('SELECT * FROM files WHERE workspace = ? ORDER BY path').all(workspace) as FileRecord[];
    return rows.map(toRow);
  }

  byKey(workspace: string, key: string): FileRow | null {
    const row = this.db.prepare('SELECT * FROM files WHERE workspace = ? AND key = ?').get(workspace, key) as FileRecord | undefined;
    return row === undefined ? null : toRow(row);
  }

  byPath(workspace: string, path: string): FileRow | null {
    const row = this.db.prepare('SELECT * FROM files WHERE workspace = ? AND path = ?').get(workspace, path) as FileRecord | undefined;
    return row === undefined ? null : toRow(row);
  }

  /** Stores a file, replacing whatever held its path; returns the replaced key, if any. */
  upsert(file: FileRow): string | null {
    return this.db.transaction((f: FileRow): string | null => {
      const old = this.db.prepare('SELECT key FROM files WHERE workspace = ? AND path = ?').get(f.workspace, f.path) as { key: string } | undefined;
      if (old !== undefined) this.db.prepare('DELETE FROM files WHERE key = ?').run(old.key);
      this.db
        .prepare(
          `INSERT INTO files (key, workspace, path, size, etag, last_modified, content_type, description)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(f.key, f.workspace, f.path, f.size, f.etag, f.lastModified, f.contentType, f.description);
      return old === undefined || old.key === f.key ? null : old.key;
    })(file);
  }

  remove(workspace: string, key: string): boolean {
    return this.db.prepare('DELETE FROM files WHERE workspace = ? AND key = ?').run(workspace, key).changes > 0;
  }

  addPending(pending: PendingUpload): void {
    this.db
      .prepare(
        `INSERT INTO pending_uploads (key, workspace, path, content_type, declared_size, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(pending.key, pending.workspace, pending.path, pending.contentType, pending.declaredSize, pending.expiresAt);
  }

  pending(key: string): PendingUpload | null {
    const row = this.db.prepare('SELECT * FROM pending_uploads WHERE key = ?').get(key) as PendingRecord | undefined;
    return row === undefined ? null : toPending(row);
  }

  /** Makes a pending upload a listed file in one transaction; returns the replaced key, if any. */
  confirm(file: FileRow): string | null {
    return this.db.transaction((f: FileRow): string | null => {
      this.db.prepare('DELETE FROM pending_uploads WHERE key = ?').run(f.key);
      return this.upsert(f);
    })(file);
  }

  /** Pending uploads whose URL expired before `now` (unix seconds): their blobs may go. */
  takeExpiredPending(now: number): PendingUpload[] {
    return this.db.transaction((): PendingUpload[] => {
      const rows = this.db.prepare('SELECT * FROM pending_uploads WHERE expires_at < ?').all(now) as PendingRecord[];
      this.db.prepare('DELETE FROM pending_uploads WHERE expires_at < ?').run(now);
      return rows.map(toPending);
    })();
  }

  close(): void {
    this.db.close();
  }
}
