/**
 * What the users did, as the checker needs it: per side and path the last content a user wrote
 * there (an obligation: it must survive, at its path or in a conflict copy), every path a user
 * deleted, every content ever written per path and side (which conflicts are justified), and the
 * touched paths. A user who overwrites, deletes or moves a file has *seen* its content: that
 * content is then superseded, whichever side first wrote it.
 */
export type Side = 'local' | 'remote';
export const SIDES: readonly Side[] = ['local', 'remote'];

export interface Obligation {
  side: Side;
  path: string;
  content: string;
}

const COPY = / \(conflicted copy \d{4}-\d{2}-\d{2} \d{6}\)(?: \(\d+\))?/;
const LAST_COPY = / \(conflicted copy \d{4}-\d{2}-\d{2} \d{6}\)(?: \(\d+\))?(?!.* \(conflicted copy )/;

/** The paths a conflict copy descends from, nearest first (a copy of a copy names two). */
export function copyChain(path: string): string[] {
  const chain: string[] = [];
  for (let p = path; COPY.test(p) && chain.length < 8;) {
    p = p.replace(LAST_COPY, '');
    chain.push(p);
  }
  return chain;
}

/** The path a conflict copy (or a copy of a copy) was first made from, or null for an ordinary path. */
export function copyOrigin(path: string): string | null {
  return copyChain(path).at(-1) ?? null;
}

export class Model {
  private seq = 0;
  obligations: Obligation[] = [];
  readonly written = new Map<string, Record<Side, Set<string>>>();
  readonly deleted = new Set<string>();
  readonly touched = new Set<string>();
  /** Every path seen on either side between commands. */
  readonly seen = new Set<string>();
  /** What each command resolved to (paths picked at run time), for failure messages. */
  readonly log: string[] = [];
  /** Invariants a command saw broken as it ran (8-10: they are about moments, not the final tree). */
  readonly violations: string[] = [];

  violation(message: string): void {
    if (!this.violations.includes(message)) this.violations.push(message);
  }

  /** A new, unique content of about `len` bytes (lengths repeat, so same-size edits are common). */
  content(tag: string, len: number): string {
    return `${tag}${++this.seq}|`.padEnd(len, '~');
  }

  /**
   * Bytes a user removed from a path (deleted, overwrote or moved away), per side, since the last
   * cycle that ran undisturbed and ended in sync: until then, the other side has not learnt of it.
   */
  private readonly removedSinceSync = new Map<string, Record<Side, Set<string>>>();

  /**
   * Writing the very bytes a path already holds on that side is no change: etags are versions of
   * bytes, so no engine can tell it from no write at all (and the user has lost nothing). The same
   * goes for putting back, before any cycle has run, the bytes the other side's user removed from
   * that path (moved away and back, say): to the engine the path never changed on this side, and
   * the other user's removal of those very bytes stands. Either way, other bytes the path held on
   * this side were seen and replaced (a remote rename onto a file, say), so they are superseded.
   */
  write(side: Side, path: string, content: string, seenThere: string | null): void {
    if (seenThere === content) return;
    this.noteRemoved(side, path, seenThere);
    this.supersede(path, seenThere);
    if (this.removedSinceSync.get(path)?.[side === 'local' ? 'remote' : 'local'].has(content)) return;
    this.obligations = this.obligations.filter((o) => !(o.side === side && o.path === path));
    this.obligations.push({ side, path, content });
    const w = this.written.get(path) ?? { local: new Set<string>(), remote: new Set<string>() };
    w[side].add(content);
    this.written.set(path, w);
  }

  remove(side: Side, path: string, seenThere: string | null): void {
    this.noteRemoved(side, path, seenThere);
    this.supersede(path, seenThere);
    this.obligations = this.obligations.filter((o) => !(o.side === side && o.path === path));
    this.deleted.add(path);
  }

  move(side: Side, from: string, to: string, content: string, seenAtTarget: string | null): void {
    this.remove(side, from, content);
    this.write(side, to, content, seenAtTarget);
  }

  /** A cycle ran with no user action during it and ended in sync: both sides have seen every removal. */
  synced(): void {
    this.removedSinceSync.clear();
  }

  private noteRemoved(side: Side, path: string, seenThere: string | null): void {
    if (seenThere === null) return;
    const removed = this.removedSinceSync.get(path) ?? { local: new Set<string>(), remote: new Set<string>() };
    removed[side].add(seenThere);
    this.removedSinceSync.set(path, removed);
  }

  touch(path: string): void {
    this.touched.add(path);
  }

  private supersede(path: string, seenThere: string | null): void {
    if (seenThere === null) return;
    this.obligations = this.obligations.filter((o) => !(o.content === seenThere && (o.path === path || copyChain(path).includes(o.path))));
  }

  /** A conflict copy of `origin` holding `content` is justified only by two different writes there. */
  conflictJustified(origin: string, content: string): boolean {
    const w = this.written.get(origin);
    if (w === undefined) return false;
    for (const side of SIDES) {
      const other = side === 'local' ? 'remote' : 'local';
      if (w[side].has(content) && [...w[other]].some((c) => c !== content)) return true;
    }
    return false;
  }

  /** The other side never wrote here: a change must arrive at this very path. */
  oneSided(path: string, side: Side): boolean {
    const w = this.written.get(path);
    return w === undefined || w[side === 'local' ? 'remote' : 'local'].size === 0;
  }
}
