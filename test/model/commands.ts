/**
 * The model's commands: user actions on either side, sync cycles, changes made during a cycle,
 * faults and crashes. Paths are picked at run time by index among what exists then, so a shrunk
 * command list still makes sense; each command logs what it resolved to.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { fifoJobPool } from '../../electron/engine/execute/job-pool.js';
import { acquireFolderLock, folderLockHolder } from '../../electron/engine/local/lock.js';
import { STATE_DIR } from '../../electron/engine/model/state-folder.js';
import { portablePathReason } from '../../electron/engine/plan/names.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import type { CycleResult } from '../../electron/engine/sync/once/cycle.js';
import type { SyncRig } from '../support/sync-rig.js';
import type { Model, Side } from './model.js';

/** File names never clash with folder names, so no file/folder collision is generated. */
export const PATHS = ['a.txt', 'b.md', 'c', 'd/f.txt', 'd/g.txt', 'd/e/h.txt', 'x/i.txt', 'x/j', 'k.txt', 'd/e/l.md'] as const;
const DIRS = ['d', 'd/e', 'x', 'z', 'd/n'] as const;
const LENGTHS = [8, 8, 12, 24] as const;

export interface Cmd extends fc.AsyncCommand<Model, SyncRig> {
  /** What the command does, against the model and the real world. */
  apply(m: Model, w: SyncRig): Promise<void>;
}

export abstract class Base implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, w: SyncRig): Promise<void> {
    await observe(m, w);
    await this.apply(m, w);
  }
  abstract apply(m: Model, w: SyncRig): Promise<void>;
  abstract toString(): string;
}

/**
 * Names a user may give a local file that the contract's name rules refuse (plan/names.ts
 * portablePathReason): wsync must leave them local, reported, and never upload them (invariant 9).
 */
export const REFUSED_NAMES = ['back\\slash.txt', 'd/tab\there.md'] as const;

/** The other workspace of the model's server: a folder re-bound there and back (invariant 8). */
export const OTHER_WORKSPACE = 'ws_model_other';

/** Every path that exists on either side between commands: the justified-delete check's universe. */
export async function observe(m: Model, w: SyncRig): Promise<void> {
  for (const p of w.localTree().keys()) m.seen.add(p);
  for (const f of w.emu.admin.list(w.workspace)) {
    m.seen.add(f.path);
    const refused = portablePathReason(f.path);
    if (refused !== null) m.violation(`[9 refused name written] ${JSON.stringify(f.path)} is on the server, and ${refused}`);
  }
}

function readLocal(w: SyncRig, path: string): string | null {
  try {
    return statSync(join(w.root, path)).isFile() ? readFileSync(join(w.root, path), 'utf8') : null;
  } catch {
    return null;
  }
}

function writeLocal(w: SyncRig, path: string, content: string): void {
  mkdirSync(dirname(join(w.root, path)), { recursive: true });
  writeFileSync(join(w.root, path), content);
}

async function readRemote(w: SyncRig, path: string): Promise<string | null> {
  return (await w.emu.admin.read(w.workspace, path))?.toString('utf8') ?? null;
}

/** Picks the i-th existing file of a side (sorted), or null when the side is empty. */
async function pick(w: SyncRig, side: Side, i: number): Promise<string | null> {
  const paths =
    side === 'local'
      ? [...w.localTree().keys()]
      : w.emu.admin
          .list(w.workspace)
          .map((f) => f.path)
          .sort();
  return paths.length === 0 ? null : (paths[i % paths.length] as string);
}

/** Creates or overwrites a path of the pool (a create, or an edit when it exists). */
export class Write extends Base {
  constructor(
    readonly side: Side,
    readonly path: string,
    readonly len: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const content = m.content(this.side === 'local' ? 'L' : 'R', this.len);
    if (this.side === 'local') {
      if (existsSync(join(w.root, this.path)) && !statSync(join(w.root, this.path)).isFile()) return;
      m.write('local', this.path, content, readLocal(w, this.path));
      writeLocal(w, this.path, content);
    } else {
      m.write('remote', this.path, content, await readRemote(w, this.path));
      await w.emu.admin.put(w.workspace, this.path, content);
    }
    m.log.push(`${this.side} write ${this.path} = ${content}`);
  }
  toString() {
    return `Write(${this.side},${this.path},${this.len})`;
  }
}

/** Edits an existing file (conflict copies included). */
export class Edit extends Base {
  constructor(
    readonly side: Side,
    readonly i: number,
    readonly len: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const path = await pick(w, this.side, this.i);
    if (path === null) return;
    await new Write(this.side, path, this.len).apply(m, w);
  }
  toString() {
    return `Edit(${this.side},#${this.i},${this.len})`;
  }
}

/** Both sides get the very same new bytes (row 7: never a conflict). */
export class EqualWrite extends Base {
  constructor(
    readonly path: string,
    readonly len: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    if (existsSync(join(w.root, this.path)) && !statSync(join(w.root, this.path)).isFile()) return;
    const content = m.content('E', this.len);
    m.write('local', this.path, content, readLocal(w, this.path));
    m.write('remote', this.path, content, await readRemote(w, this.path));
    writeLocal(w, this.path, content);
    await w.emu.admin.put(w.workspace, this.path, content);
    m.log.push(`equal write ${this.path} = ${content}`);
  }
  toString() {
    return `EqualWrite(${this.path},${this.len})`;
  }
}

/** mtime only. */
export class Touch extends Base {
  constructor(
    readonly i: number,
    readonly deltaS: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const path = await pick(w, 'local', this.i);
    if (path === null) return;
    const st = statSync(join(w.root, path));
    const t = new Date(st.mtimeMs + this.deltaS * 1000);
    utimesSync(join(w.root, path), t, t);
    m.touch(path);
    m.log.push(`local touch ${path}`);
  }
  toString() {
    return `Touch(#${this.i},${this.deltaS}s)`;
  }
}

export class Delete extends Base {
  constructor(
    readonly side: Side,
    readonly i: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const path = await pick(w, this.side, this.i);
    if (path === null) return;
    if (this.side === 'local') {
      m.remove('local', path, readLocal(w, path));
      rmSync(join(w.root, path));
    } else {
      m.remove('remote', path, await readRemote(w, path));
      await w.emu.admin.remove(w.workspace, path);
    }
    m.log.push(`${this.side} delete ${path}`);
  }
  toString() {
    return `Delete(${this.side},#${this.i})`;
  }
}

/** A move; on the remote (no rename in the API) a delete plus a put of the same bytes. */
export class Rename extends Base {
  constructor(
    readonly side: Side,
    readonly i: number,
    readonly to: string,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const from = await pick(w, this.side, this.i);
    if (from === null || from === this.to) return;
    if (this.side === 'local') {
      const content = readLocal(w, from);
      if (content === null || (existsSync(join(w.root, this.to)) && !statSync(join(w.root, this.to)).isFile())) return;
      m.move('local', from, this.to, content, readLocal(w, this.to));
      mkdirSync(dirname(join(w.root, this.to)), { recursive: true });
      renameSync(join(w.root, from), join(w.root, this.to));
    } else {
      const content = await readRemote(w, from);
      if (content === null) return;
      m.move('remote', from, this.to, content, await readRemote(w, this.to));
      await w.emu.admin.remove(w.workspace, from);
      await w.emu.admin.put(w.workspace, this.to, content);
    }
    m.log.push(`${this.side} rename ${from} -> ${this.to}`);
  }
  toString() {
    return `Rename(${this.side},#${this.i},${this.to})`;
  }
}

/** An editor's save: write a temporary beside the file, then rename it over. */
export class EditorSave extends Base {
  constructor(
    readonly i: number,
    readonly len: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const path = await pick(w, 'local', this.i);
    if (path === null) return;
    const content = m.content('S', this.len);
    const tmp = join(dirname(join(w.root, path)), '.editor-save.tmp~');
    writeFileSync(tmp, content);
    m.write('local', path, content, readLocal(w, path));
    renameSync(tmp, join(w.root, path));
    m.log.push(`local editor-save ${path} = ${content}`);
  }
  toString() {
    return `EditorSave(#${this.i},${this.len})`;
  }
}

export class Mkdir extends Base {
  constructor(readonly dir: string) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    if (existsSync(join(w.root, this.dir)) && !statSync(join(w.root, this.dir)).isDirectory()) return;
    mkdirSync(join(w.root, this.dir), { recursive: true });
    m.log.push(`local mkdir ${this.dir}`);
  }
  toString() {
    return `Mkdir(${this.dir})`;
  }
}

/** rm -r of a local folder: every file under it is a user deletion. */
export class Rmdir extends Base {
  constructor(readonly i: number) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const dirs = w.localDirs();
    if (dirs.length === 0) return;
    const dir = dirs[this.i % dirs.length] as string;
    for (const [p, c] of w.localTree()) if (p.startsWith(`${dir}/`)) m.remove('local', p, c);
    rmSync(join(w.root, dir), { recursive: true, force: true });
    m.log.push(`local rmdir ${dir}`);
  }
  toString() {
    return `Rmdir(#${this.i})`;
  }
}

async function settle(p: Promise<CycleResult>): Promise<CycleResult | Error> {
  try {
    return await p;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function outcome(r: CycleResult | Error): string {
  if (r instanceof Error) return `threw ${r.message.slice(0, 80)}`;
  return `${r.inSync ? 'in sync' : settled(r) ? `in sync but ${r.refused.length} refused name(s)` : 'partial'} ${JSON.stringify(r.counts)}`;
}

/** In step, but for the refused local names the model writes on purpose (they stay local, reported). */
export function settled(r: CycleResult | Error): boolean {
  if (r instanceof Error) return false;
  if (r.inSync) return true;
  return (
    r.failed.length === 0 &&
    r.deferred.length === 0 &&
    r.held.length === 0 &&
    r.unreadable.length === 0 &&
    r.refused.every((n) => n.side === 'local' && portablePathReason(n.path) !== null)
  );
}

export class Sync extends Base {
  async apply(m: Model, w: SyncRig) {
    const r = await settle(w.syncOnce());
    if (settled(r)) m.synced();
    m.log.push(`sync: ${outcome(r)}`);
  }
  toString() {
    return 'Sync';
  }
}

/**
 * The uploads that have looked at their path and not yet written it (their look is a listing of
 * the exact path, or a stat): the windows SyncWithChange keeps a remote change out of. A look
 * that no upload follows (before a remote delete or move) keeps its window open to the end of the
 * sync, which only makes the change wait for a later request or not happen.
 */
class LookWindows {
  private readonly looked = new Map<string, number>();

  open(): boolean {
    return this.looked.size > 0;
  }

  private note(path: string, by: number): void {
    // The key check before the cycle (.wsync/auth-check) is a look that no write follows.
    if (path.startsWith(`${STATE_DIR}/`)) return;
    const n = (this.looked.get(path) ?? 0) + by;
    if (n > 0) this.looked.set(path, n);
    else this.looked.delete(path);
  }

  around(api: FilesApi): FilesApi {
    return {
      list: async (prefix, o) => {
        const listing = await api.list(prefix, o);
        // The cycle's own listing is of the whole tree ('' in the model); an exact-path look names one file.
        if (prefix !== undefined && prefix !== '') this.note(prefix, 1);
        return listing;
      },
      stat: async (path, o) => {
        const file = await api.stat(path, o);
        this.note(path, 1);
        return file;
      },
      upload: async (file, remotePath, o) => {
        try {
          return await api.upload(file, remotePath, o);
        } finally {
          if (this.looked.has(remotePath)) this.note(remotePath, -1);
        }
      },
      download: (file, destination, o) => api.download(file, destination, o),
      hashRemote: (file, o) => api.hashRemote(file, o),
      delete: (key, o) => api.delete(key, o),
    };
  }
}

/** A user action made while the engine works: run from the emulator's hook at the k-th request. */
const UPLOAD_KINDS = new Set<string>(['upload', 'upload-url', 'storage-put', 'upload-confirm']);

export class SyncWithChange extends Base {
  constructor(
    readonly k: number,
    readonly change: Cmd,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    w.emu.resetCounters();
    // Set by the request hook during the sync.
    let fired = false as boolean;
    const remote = 'side' in this.change && (this.change as { side: Side }).side === 'remote';
    const looking = new LookWindows();
    let applying: Promise<void> | null = null;
    w.emu.onRequest = async (req, index) => {
      // The change is one user action at one moment: the engine's other requests wait for it.
      if (applying !== null) await applying;
      if (index < this.k || fired) return;
      // The API has no conditional write: between the engine's last look at a path and its upload
      // there is a window no client can close. A remote change is made outside it: neither during
      // an upload nor, at engine concurrency above 1, during another job's request while an upload
      // has looked and not yet written.
      if (remote && (UPLOAD_KINDS.has(req.kind) || looking.open())) return;
      fired = true;
      m.log.push(`  during request ${this.k}:`);
      applying = this.change.apply(m, w);
      await applying;
    };
    const r = await settle(w.syncOnce({ api: w.engineApi({}, (api) => looking.around(api)) }));
    w.emu.onRequest = null;
    m.log.push(`sync with change at ${this.k}${fired ? '' : ' (not reached)'}: ${outcome(r)}`);
  }
  toString() {
    return `SyncWithChange(${this.k},${this.change.toString()})`;
  }
}

export type FaultKind = 'failNth' | 'resetDownload' | 'resetUpload' | 'incompleteListing';

export class SyncWithFault extends Base {
  constructor(
    readonly fault: FaultKind,
    readonly k: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const f = w.emu.faults;
    let pageSize: number | undefined;
    if (this.fault === 'failNth') {
      f.failNth = this.k;
      f.failNthStatus = this.k % 2 === 0 ? 500 : 503;
    } else if (this.fault === 'resetDownload') {
      f.resetDownloadAfterBytes = this.k % 6;
      f.resetCount = 1;
    } else if (this.fault === 'resetUpload') {
      f.resetUploadAfterBytes = this.k % 6;
      f.resetCount = 1;
    } else {
      f.ignoreCursor = true;
      pageSize = 1 + (this.k % 3);
    }
    const r = await settle(w.syncOnce(pageSize === undefined ? {} : { api: w.engineApi({ pageSize }) }));
    w.emu.resetFaults();
    if (settled(r)) m.synced();
    m.log.push(`sync with ${this.fault} ${this.k}: ${outcome(r)}`);
  }
  toString() {
    return `SyncWithFault(${this.fault},${this.k})`;
  }
}

/**
 * A crash between two of the engine's own steps, at the k-th request: either as it arrives (the
 * server never sees it) or once the server has applied it but before the engine reads the answer
 * (an upload or delete done on the server that the engine never recorded). The folder (files,
 * state database, journal) is copied as it is at that instant, and no request from then on
 * reaches the server. Once the doomed engine has stopped, the copy replaces the folder, as if the
 * process had died there. The copied lock database holds no lock (the kernel's lock died with its
 * holder), so the next engine takes the folder as it would after a real crash.
 */
export type CrashPoint = 'before' | 'after';

export class SyncWithCrash extends Base {
  constructor(
    readonly k: number,
    readonly when: CrashPoint = 'before',
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    w.emu.resetCounters();
    const snapshot = `${w.root}.crash`;
    // Set by the request hook during the sync.
    let crashed = false as boolean;
    const crash = () => {
      crashed = true;
      cpSync(w.root, snapshot, { recursive: true, preserveTimestamps: true });
    };
    w.emu.onRequest = (_req, index) => {
      if (this.when === 'before' && index === this.k && !crashed) crash();
      if (crashed) throw new Error('the engine crashed before this request');
    };
    if (this.when === 'after') {
      w.emu.onHandled = (_req, index) => {
        if (index === this.k && !crashed) crash();
      };
    }
    const r = await settle(w.syncOnce());
    w.emu.onRequest = null;
    w.emu.onHandled = null;
    if (crashed) {
      rmSync(w.root, { recursive: true, force: true });
      renameSync(snapshot, w.root);
      checkNotBlocked(m, w);
    }
    m.log.push(`sync crashing ${this.when} request ${this.k}: ${crashed ? 'crashed' : 'not reached'} (${outcome(r)})`);
  }
  toString() {
    return this.when === 'before' ? `SyncWithCrash(${this.k})` : `SyncWithCrash(${this.k},after)`;
  }
}

/** A local file under a name the contract refuses: it stays local, reported, never uploaded. */
export class WriteRefusedName extends Base {
  constructor(
    readonly i: number,
    readonly len: number,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    const path = REFUSED_NAMES[this.i % REFUSED_NAMES.length] as string;
    if (existsSync(join(w.root, path)) && !statSync(join(w.root, path)).isFile()) return;
    const content = m.content('N', this.len);
    m.write('local', path, content, readLocal(w, path));
    writeLocal(w, path, content);
    m.log.push(`local write (refused name) ${JSON.stringify(path)} = ${content}`);
  }
  toString() {
    return `WriteRefusedName(${this.i},${this.len})`;
  }
}

/**
 * The folder re-bound to another (empty) workspace and back, each time as the user asks it to
 * (rebind): two first syncs, never "everything was deleted" (invariant 8). Run from a folder in
 * step only, so that a first sync has nothing to make a conflict copy of.
 */
export class SyncElsewhere extends Base {
  async apply(m: Model, w: SyncRig) {
    const local = w.localTree();
    const remote = await w.remoteTree();
    const shared = [...local].filter(([p]) => remote.has(p) || portablePathReason(p) === null);
    if (JSON.stringify(shared) !== JSON.stringify([...remote])) {
      m.log.push('sync elsewhere: skipped (the folder is not in step)');
      return;
    }
    const other = () => w.emu.admin.list(OTHER_WORKSPACE);
    const lost = (where: string, now: Map<string, string>, before: Map<string, string>) => {
      for (const [p, c] of before) {
        if (now.get(p) !== c)
          m.violation(
            `[8 base of another binding] ${where}: ${JSON.stringify(p)} held ${JSON.stringify(c)}, now ${JSON.stringify(now.get(p) ?? null)}`,
          );
      }
    };
    const away = await settle(w.syncOnce({ workspace: OTHER_WORKSPACE, api: w.engineApi({ workspace: OTHER_WORKSPACE }), rebind: true }));
    lost(`after re-binding to ${OTHER_WORKSPACE}, the folder`, w.localTree(), local);
    const back = await settle(w.syncOnce({ rebind: true }));
    lost('after re-binding back, the folder', w.localTree(), local);
    lost('after re-binding back, the server', await w.remoteTree(), remote);
    for (const f of other()) await w.emu.admin.remove(OTHER_WORKSPACE, f.path);
    m.log.push(`sync elsewhere: ${outcome(away)}; back: ${outcome(back)}`);
  }
  toString() {
    return 'SyncElsewhere';
  }
}

const isLocked = (r: CycleResult | Error): boolean => r instanceof Error && (r as { code?: unknown }).code === 'LOCKED';

/**
 * A second engine started on the folder while a cycle runs, once the first holds the folder (its
 * listing starts beside the session's opening, so the hook waits for the lock to be taken, briefly
 * for an engine that takes none): it must be refused, and the first one carries on (invariant 10,
 * one engine per folder).
 */
export class SecondEngine extends Base {
  async apply(m: Model, w: SyncRig) {
    // Set by the request hook during the first sync.
    let second = null as Promise<CycleResult | Error> | null;
    w.emu.resetCounters();
    // Request 0 is the key check, made before the engine opens the folder.
    w.emu.onRequest = async (_req, index) => {
      if (second !== null || index < 1) return;
      second = (async () => {
        for (let waited = 0; waited < 500 && folderLockHolder(w.root) === null; waited += 5) await new Promise((r) => setTimeout(r, 5));
        // Started from inside the first engine's request, which waits for it: it runs ungated
        // (the plain client, first-in-first-out jobs, the writer's own timers), at real timings
        // (interleave.ts).
        return settle(w.syncOnce({ api: w.api(), jobPool: fifoJobPool, writerLater: undefined }));
      })();
      await second;
    };
    const first = await settle(w.syncOnce());
    w.emu.onRequest = null;
    const other = second === null ? null : await second;
    if (other !== null && !isLocked(other))
      m.violation(`[10 two engines] a second engine started on the folder while a cycle ran, and was not refused: ${outcome(other)}`);
    if (isLocked(first)) m.violation(`[10 two engines] the first engine was refused: ${outcome(first)}`);
    m.log.push(`sync with a second engine: ${outcome(first)}; the second: ${other === null ? 'never started' : outcome(other)}`);
  }
  toString() {
    return 'SecondEngine';
  }
}

/** After a crash, the next engine must be able to take the folder (invariant 10: a dead engine never blocks). */
function checkNotBlocked(m: Model, w: SyncRig): void {
  try {
    acquireFolderLock(w.root).release();
  } catch (err) {
    m.violation(`[10 blocked by a dead engine] after the crash the next engine is refused: ${(err as Error).message}`);
  }
}

const side = fc.constantFrom<Side>('local', 'remote');
const path = fc.constantFrom(...PATHS);
const len = fc.constantFrom(...LENGTHS);
const idx = fc.nat(20);

const userCommands: fc.Arbitrary<Cmd>[] = [
  fc.tuple(side, path, len).map(([s, p, l]) => new Write(s, p, l)),
  fc.tuple(side, idx, len).map(([s, i, l]) => new Edit(s, i, l)),
  fc.tuple(path, len).map(([p, l]) => new EqualWrite(p, l)),
  fc.tuple(idx, fc.constantFrom(-5, 3, 60)).map(([i, d]) => new Touch(i, d)),
  fc.tuple(side, idx).map(([s, i]) => new Delete(s, i)),
  fc.tuple(side, idx, path).map(([s, i, p]) => new Rename(s, i, p)),
  fc.tuple(idx, len).map(([i, l]) => new EditorSave(i, l)),
  fc.constantFrom(...DIRS).map((d) => new Mkdir(d)),
  idx.map((i) => new Rmdir(i)),
  fc.tuple(idx, len).map(([i, l]) => new WriteRefusedName(i, l)),
];

export const userCommand: fc.Arbitrary<Cmd> = fc.oneof(...userCommands);

export const allCommands: fc.Arbitrary<Cmd>[] = [
  ...userCommands,
  fc.constant(new Sync()),
  fc.constant(new Sync()),
  fc.constant(new SyncElsewhere()),
  fc.constant(new SecondEngine()),
  fc.tuple(fc.nat(25), userCommand).map(([k, c]) => new SyncWithChange(k, c)),
  fc
    .tuple(fc.constantFrom<FaultKind>('failNth', 'resetDownload', 'resetUpload', 'incompleteListing'), fc.integer({ min: 1, max: 25 }))
    .map(([f, k]) => new SyncWithFault(f, k)),
];
export const crashCommand: fc.Arbitrary<Cmd> = fc
  .tuple(fc.nat(25), fc.constantFrom<CrashPoint>('before', 'after'))
  .map(([k, when]) => new SyncWithCrash(k, when));
allCommands.push(crashCommand);

/** The starting tree: each file lands on one or both sides, with equal or different bytes. */
export type Placement = 'both' | 'local' | 'remote' | 'differ';
export interface InitialFile {
  path: string;
  placement: Placement;
  len: number;
}

export const initialTree: fc.Arbitrary<InitialFile[]> = fc.uniqueArray(
  fc.record({ path, placement: fc.constantFrom<Placement>('both', 'both', 'local', 'remote', 'differ'), len }),
  { minLength: 3, maxLength: 8, selector: (f) => f.path },
);

export async function plant(m: Model, w: SyncRig, files: InitialFile[]): Promise<void> {
  for (const f of files) {
    const l = m.content(f.placement === 'both' ? 'I' : 'IL', f.len);
    const r = f.placement === 'both' ? l : m.content('IR', f.len);
    if (f.placement !== 'remote') {
      m.write('local', f.path, l, null);
      writeLocal(w, f.path, l);
    }
    if (f.placement !== 'local') {
      m.write('remote', f.path, r, null);
      await w.emu.admin.put(w.workspace, f.path, r);
    }
  }
  m.log.push(`initial: ${files.map((f) => `${f.path}:${f.placement}`).join(' ')}`);
}
