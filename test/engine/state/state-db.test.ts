import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseEntry } from '../../../electron/engine/model/trees.js';
import { ACTIVITY_CAP, SCHEMA_VERSION, StateDb } from '../../../electron/engine/state/state-db.js';
import { scratchBase } from '../../support/scratch.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = scratchBase('wsync-state-');
  file = join(dir, '.wsync', 'state.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (path: string, hash = 'd41d8cd98f00b204e9800998ecf8427e'): BaseEntry => ({
  path,
  remoteKey: `k-${path}`,
  etag: hash,
  remoteSize: 3,
  localSize: 3,
  localMtimeMs: 1700000000123.5,
  localIno: 42,
  hash,
});

describe('StateDb', () => {
  it('creates .wsync/state.db in WAL mode at the current schema version, recorded in migrations', () => {
    const db = StateDb.open(file);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    db.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = raw.prepare('SELECT version FROM migrations').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual([...Array(SCHEMA_VERSION).keys()].map((i) => i + 1));
    raw.close();
  });

  it('keeps base rows across reopen, with every field (including a fractional mtime and an absent etag)', () => {
    const db = StateDb.open(file);
    db.apply([
      { kind: 'put-base', entry: entry('a/b.txt') },
      { kind: 'put-base', entry: { ...entry('c.txt'), etag: undefined } },
    ]);
    db.close();
    const again = StateDb.open(file);
    expect(again.getBase('a/b.txt')).toEqual(entry('a/b.txt'));
    expect(again.getBase('c.txt')).toEqual({ ...entry('c.txt'), etag: undefined });
    expect(again.allBase().map((b) => b.path)).toEqual(['a/b.txt', 'c.txt']);
    expect(again.baseCount()).toBe(2);
    again.close();
  });

  it('reads the base in pages after a path, each row the same entry allBase gives, and tells whether any row exists', () => {
    const db = StateDb.open(file);
    expect(db.hasBase()).toBe(false);
    expect(db.basePage('', 10)).toEqual([]);
    db.apply(
      ['b', 'a/x', 'c', 'a/y', 'd'].map((p) => ({ kind: 'put-base', entry: p === 'c' ? { ...entry(p), etag: undefined } : entry(p) }) as const),
    );
    expect(db.hasBase()).toBe(true);
    const pages: BaseEntry[][] = [];
    for (let after = ''; ;) {
      const page = db.basePage(after, 2);
      pages.push(page);
      if (page.length < 2) break;
      after = page[page.length - 1]?.path ?? '';
    }
    expect(pages.map((page) => page.map((b) => b.path))).toEqual([['a/x', 'a/y'], ['b', 'c'], ['d']]);
    expect(pages.flat()).toStrictEqual(db.allBase());
    db.close();
  });

  it('overwrites a base row for the same path and deletes rows', () => {
    const db = StateDb.open(file);
    db.apply([{ kind: 'put-base', entry: entry('x') }]);
    db.apply([{ kind: 'put-base', entry: entry('x', 'ffffffffffffffffffffffffffffffff') }]);
    expect(db.getBase('x')?.hash).toBe('ffffffffffffffffffffffffffffffff');
    db.apply([{ kind: 'delete-base', path: 'x' }]);
    expect(db.getBase('x')).toBeUndefined();
    db.close();
  });

  it('applies a batch atomically: a failing write rolls back the whole batch', () => {
    const db = StateDb.open(file);
    const bad = { ...entry('bad'), remoteKey: null as unknown as string };
    expect(() =>
      db.apply([
        { kind: 'put-base', entry: entry('good') },
        { kind: 'put-base', entry: bad },
      ]),
    ).toThrow();
    expect(db.getBase('good')).toBeUndefined();
    db.close();
  });

  it('journal intents survive a reopen until finished (what a killed process leaves behind)', () => {
    const db = StateDb.open(file);
    const ids = db.beginIntents([
      { op: 'upload', paths: ['a'] },
      { op: 'move-remote', paths: ['b', 'c'] },
    ]);
    expect(ids).toHaveLength(2);
    db.apply([
      { kind: 'finish-intent', id: ids[0] as number },
      { kind: 'put-base', entry: entry('a') },
    ]);
    db.close();
    const again = StateDb.open(file);
    expect(again.pendingIntents().map((i) => ({ op: i.op, paths: i.paths }))).toEqual([{ op: 'move-remote', paths: ['b', 'c'] }]);
    again.close();
  });

  it('journal intents keep the version recorded per path; rows from a schema-1 database migrate with none', () => {
    StateDb.open(file).close();
    // Back to schema 1: the journal without its versions column, holding an intent a killed client left.
    const raw = new Database(file);
    raw.exec('ALTER TABLE journal DROP COLUMN versions; DROP TABLE file_backoff; DELETE FROM migrations WHERE version > 1');
    raw.prepare('INSERT INTO journal (op, paths, started_at) VALUES (?, ?, ?)').run('upload', '["old"]', 1);
    raw.close();
    const db = StateDb.open(file);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const versions = { x: { hash: 'abc' }, y: { hash: 'def', remote: { key: 'k/y', etag: 'def', size: 3 } } };
    db.beginIntents([{ op: 'conflict', paths: ['y', 'x'], versions }]);
    expect(db.pendingIntents().map((i) => ({ op: i.op, versions: i.versions }))).toEqual([
      { op: 'upload', versions: {} },
      { op: 'conflict', versions },
    ]);
    db.close();
  });

  it('stores meta values', () => {
    const db = StateDb.open(file);
    db.setMeta({ server: 'http://x', workspace: 'ws', prefix: '' });
    db.setMeta({ server: 'http://y' });
    expect(db.getMeta('server')).toBe('http://y');
    expect(db.getMeta('prefix')).toBe('');
    expect(db.getMeta('lastSyncAt')).toBeUndefined();
    db.close();
  });

  it(`caps the activity table at ${ACTIVITY_CAP} rows, newest first`, () => {
    const db = StateDb.open(file);
    const writes = Array.from({ length: ACTIVITY_CAP + 50 }, (_, i) => ({
      kind: 'activity' as const,
      record: { path: `f${i}`, action: 'upload', decision: 11 },
    }));
    db.apply(writes.slice(0, 100));
    db.apply(writes.slice(100));
    const recent = db.recentActivity();
    expect(recent).toHaveLength(ACTIVITY_CAP);
    expect(recent[0]?.path).toBe(`f${ACTIVITY_CAP + 49}`);
    expect(recent.at(-1)?.path).toBe('f50');
    db.close();
  });

  it('reports each notice once', () => {
    const db = StateDb.open(file);
    expect(db.firstNotices('symlink', ['a', 'b'])).toEqual(['a', 'b']);
    expect(db.firstNotices('symlink', ['b', 'c'])).toEqual(['c']);
    db.close();
  });

  it('opens read-only without creating anything when asked, and refuses a missing file', () => {
    expect(() => StateDb.open(file, { readonly: true })).toThrow(/cannot open/);
    StateDb.open(file).close();
    const ro = StateDb.open(file, { readonly: true });
    expect(ro.allBase()).toEqual([]);
    ro.close();
  });

  it('refuses a database written by a newer client', () => {
    StateDb.open(file).close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 5, 'x');
    raw.close();
    expect(() => StateDb.open(file)).toThrow(/newer than this client/);
  });
});
