/**
 * The fresh look before a remote write (the contract's stand-in for a conditional write: right
 * before it overwrites or deletes, the client lists the path), taken for many paths at once. A
 * plan that uploads 100 new files into one folder would list 100 exact paths, one request each,
 * as many as the uploads themselves; one listing of the prefix those paths share answers them all.
 *
 * The race window, honestly: no look closes it (there is no If-Match); a look only narrows it to
 * the time between the server's answer and the write. An exact-path look answers a few
 * milliseconds before its own write. A shared listing answers for every write that starts within
 * MAX_AGE_MS of the moment it was asked for, and a write that starts later asks again, so the
 * window grows from one round trip to at most MAX_AGE_MS (plus, in both cases, the write itself).
 * The look is still taken by each job right before its write, never at planning time: a listing
 * from the start of the cycle is never reused for it.
 *
 * A listing is used only where it is cheaper than the exact looks it replaces (the cycle's listing
 * tells how many files lie under the prefix) and only while it is complete: a path missing from an
 * incomplete listing is looked at exactly.
 */
import type { FilesApi } from '../api/types.js';
import { toLocalRemote } from '../model/remote-paths.js';
import type { RemoteFile } from '../model/trees.js';
import type { PlannedAction } from '../plan/types.js';

/** How long a shared listing answers for the writes that start after it was asked for. */
export const MAX_AGE_MS = 250;
/** Files per page the client asks for (api/client.ts DEFAULT_PAGE_SIZE): what a listing costs. */
const PAGE_FILES = 1000;
/** A listing replaces at least this many exact looks per page it costs. */
const LOOKS_PER_PAGE = 4;

/** The paths an action looks at right before it writes or deletes remotely. */
export function lookedAt(action: PlannedAction): string[] {
  switch (action.kind) {
    case 'upload':
    case 'delete-remote':
      return [action.path];
    case 'move-remote':
      return [action.to, action.from];
    case 'conflict':
      return [action.copyPath];
    default:
      return [];
  }
}

const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return a.slice(0, i);
}

interface Snapshot {
  /** When it was asked for: the server's answer is no older than this. */
  askedAt: number;
  byPath: Map<string, RemoteFile>;
  complete: boolean;
}

/** The planned looks in one folder, and the listing that answers them. */
interface Group {
  /** The longest prefix the folder's planned paths share (the folder itself, at least). */
  prefix: string;
  /** Looks not taken yet. */
  pending: number;
  /** Files under `prefix` in the cycle's listing: what listing it costs. */
  remoteUnder: number;
  snapshot: Snapshot | null;
  asking: Promise<Snapshot> | null;
}

export interface FreshLooksOptions {
  api: FilesApi;
  /** The mirrored remote folder ('' or ending in '/'); paths are relative to it. */
  prefix: string;
  /** Every path the plan will look at (lookedAt), in any order, repeats allowed. */
  planned: Iterable<string>;
  /** The cycle's listing the plan was made from (folder-relative): sizes the shared listings. Without it, every look is exact. */
  listed?: readonly Pick<RemoteFile, 'path'>[] | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds (a test passes a fake clock). */
  now?: () => number;
}

export class FreshLooks {
  private readonly groups = new Map<string, Group>();
  private readonly now: () => number;

  constructor(private readonly o: FreshLooksOptions) {
    this.now = o.now ?? Date.now;
    if (o.listed === undefined) return;
    const byFolder = new Map<string, { prefix: string; count: number }>();
    for (const path of o.planned) {
      const folder = folderOf(path);
      const seen = byFolder.get(folder);
      if (seen === undefined) byFolder.set(folder, { prefix: path, count: 1 });
      else byFolder.set(folder, { prefix: commonPrefix(seen.prefix, path), count: seen.count + 1 });
    }
    for (const [folder, { prefix, count }] of byFolder) {
      if (count > 1) this.groups.set(folder, { prefix, pending: count, remoteUnder: 0, snapshot: null, asking: null });
    }
    if (this.groups.size === 0) return;
    for (const file of o.listed) {
      // Only the folder's own group and its ancestors' can hold the file under their prefix.
      for (let end = file.path.lastIndexOf('/'); ; end = file.path.lastIndexOf('/', end - 1)) {
        const group = this.groups.get(file.path.slice(0, end + 1));
        if (group !== undefined && file.path.startsWith(group.prefix)) group.remoteUnder++;
        if (end < 0) break;
      }
    }
  }

  /** The remote file at exactly `path` now (folder-relative), or null. */
  async at(path: string): Promise<RemoteFile | null> {
    const group = this.groups.get(folderOf(path));
    if (group === undefined || !path.startsWith(group.prefix)) return this.exact(path);
    const pending = group.pending;
    group.pending = Math.max(0, pending - 1);
    const fresh = group.snapshot !== null && this.now() - group.snapshot.askedAt <= MAX_AGE_MS;
    if (!fresh && group.asking === null && !this.worthListing(group, pending)) return this.exact(path);
    const snapshot = fresh && group.snapshot !== null ? group.snapshot : await this.ask(group);
    const found = snapshot.byPath.get(path);
    if (found !== undefined) return found;
    return snapshot.complete ? null : this.exact(path);
  }

  private worthListing(group: Group, pending: number): boolean {
    const pages = Math.ceil((group.remoteUnder + pending) / PAGE_FILES);
    return pending >= 2 && pending >= LOOKS_PER_PAGE * pages;
  }

  /** One listing for every look of the group that comes while it is under way. */
  private ask(group: Group): Promise<Snapshot> {
    if (group.asking !== null) return group.asking;
    const askedAt = this.now();
    const asking = this.o.api.list(this.o.prefix + group.prefix, this.signalOpt()).then((listing) => {
      const byPath = new Map<string, RemoteFile>();
      for (const file of listing.files) {
        if (!file.path.startsWith(this.o.prefix)) continue;
        const local = toLocalRemote(file, this.o.prefix);
        byPath.set(local.path, local);
      }
      const snapshot = { askedAt, byPath, complete: listing.complete };
      group.snapshot = snapshot;
      return snapshot;
    });
    group.asking = asking;
    const clear = () => {
      if (group.asking === asking) group.asking = null;
    };
    asking.then(clear, clear);
    return asking;
  }

  private async exact(path: string): Promise<RemoteFile | null> {
    const file = await this.o.api.stat(this.o.prefix + path, this.signalOpt());
    return file === null ? null : toLocalRemote(file, this.o.prefix);
  }

  private signalOpt(): { signal?: AbortSignal } {
    return this.o.signal === undefined ? {} : { signal: this.o.signal };
  }
}
