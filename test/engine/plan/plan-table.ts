/**
 * The reconciler's tests are data: each case gives the three trees as `path → content` and the plan
 * it expects as one line per action. Contents are short strings; hashes and plain-MD5 etags are
 * computed from them, and the expected lines name contents, not hashes.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';

import type { BaseEntry, LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import { drive, Slicer } from '../../../electron/engine/model/slices.js';
import { reconcile, reconcileInSlices } from '../../../electron/engine/plan/reconcile.js';
import type { Plan, PlannedAction, ReconcileInput, ReconcileOptions } from '../../../electron/engine/plan/types.js';

export const md5 = (content: string): string => createHash('md5').update(content).digest('hex');
const byteLength = (content: string): number => Buffer.byteLength(content);

/** Stable per-path inode, so that unmoved files keep theirs between base and scan. */
const inodeOf = (path: string): number => Number.parseInt(md5(path).slice(0, 8), 16) + 1;

type LocalSpec = string | { content: string; ino?: number; mtimeMs?: number };
/** `etag` replaces the default plain-MD5 etag (`null` = the server sent none). */
type RemoteSpec = string | { content: string; etag?: string | null; key?: string };
type BaseSpec = string | { content: string; etag?: string | null; key?: string; ino?: number; mtimeMs?: number };

export interface PlanCase {
  name: string;
  local?: Record<string, LocalSpec>;
  remote?: Record<string, RemoteSpec>;
  /** Listed after `remote`, for listings that name one path twice. */
  moreRemote?: [string, RemoteSpec][];
  base?: Record<string, BaseSpec>;
  /** Listing completeness; true unless said. */
  complete?: boolean;
  options?: Partial<ReconcileOptions>;
  now?: Date;
  /** One line per action, in plan order (see `describeAction`). */
  actions: string[];
  /** `side path` per refused name, and a fragment its reason must contain. */
  refused?: [string, string][];
  held?: Plan['held'];
}

export const NOW = new Date('2024-05-06T07:08:09Z');
export const STAMP = '2024-05-06 070809';
const MTIME = 1_700_000_000_000;

const spec = <T extends { content: string }>(s: string | T): T | { content: string } => (typeof s === 'string' ? { content: s } : s);

interface Built {
  input: ReconcileInput;
  label: (entry: LocalEntry | RemoteFile | null) => string;
}

function build(c: PlanCase): Built {
  const labels = new Map<string, string>();
  const etagFor = (content: string, etag: string | null | undefined): string | undefined => (etag === null ? undefined : (etag ?? md5(content)));
  const remember = (key: string, content: string): void => void labels.set(key, content);

  const local = Object.entries(c.local ?? {}).map(([path, s]): LocalEntry => {
    const { content, ino, mtimeMs } = spec(s) as { content: string; ino?: number; mtimeMs?: number };
    remember(`h:${md5(content)}`, content);
    return { path, size: byteLength(content), mtimeMs: mtimeMs ?? MTIME, ino: ino ?? inodeOf(path), hash: md5(content) };
  });
  const files = [...Object.entries(c.remote ?? {}), ...(c.moreRemote ?? [])].map(([path, s]): RemoteFile => {
    const { content, etag, key } = spec(s) as { content: string; etag?: string | null; key?: string };
    const file: RemoteFile = { key: key ?? `key/${path}`, path, size: byteLength(content), etag: etagFor(content, etag) };
    remember(`r:${file.etag ?? file.key}|${file.size}`, content);
    return file;
  });
  const base = Object.entries(c.base ?? {}).map(([path, s]): BaseEntry => {
    const { content, etag, key, ino, mtimeMs } = spec(s) as Exclude<BaseSpec, string>;
    const entry: BaseEntry = {
      path,
      remoteKey: key ?? `key/${path}`,
      etag: etagFor(content, etag),
      remoteSize: byteLength(content),
      localSize: byteLength(content),
      localMtimeMs: mtimeMs ?? MTIME,
      localIno: ino ?? inodeOf(path),
      hash: md5(content),
    };
    remember(`r:${(entry.etag ?? entry.remoteKey).replace(/^"|"$/g, '')}|${entry.remoteSize}`, content);
    return entry;
  });
  const options: ReconcileOptions = {
    caseInsensitiveFs: false,
    platform: 'linux',
    deleteGuard: DEFAULT_DELETE_GUARD,
    confirmDeletes: false,
    ...c.options,
  };
  const label = (entry: LocalEntry | RemoteFile | null): string => {
    if (entry === null) return 'nothing';
    const key = 'hash' in entry ? `h:${entry.hash}` : `r:${entry.etag ?? entry.key}|${entry.size}`;
    return labels.get(key) ?? `?${key}`;
  };
  return { input: { local, remote: { files, complete: c.complete ?? true }, base, now: c.now ?? NOW, options }, label };
}

export function describeAction(a: PlannedAction, label: Built['label']): string {
  switch (a.kind) {
    case 'upload':
      return `${a.decision} upload ${a.path} ${label(a.local)} over ${label(a.expectRemote)}`;
    case 'download':
      return `${a.decision} download ${a.path} ${label(a.remote)} over ${label(a.expectLocal)}`;
    case 'delete-remote':
      return `${a.decision} delete-remote ${a.path} ${label(a.remote)}${a.makesWay ? ' (makes way)' : ''}`;
    case 'delete-local':
      return `${a.decision} delete-local ${a.path} ${label(a.local)}${a.makesWay ? ' (makes way)' : ''}`;
    case 'forget':
      return `${a.decision} forget ${a.path}`;
    case 'record':
      return `${a.decision} record ${a.path} ${label(a.local)}`;
    case 'conflict':
      return `${a.decision} conflict ${a.path} → ${a.copyPath} local ${label(a.local)} remote ${label(a.remote)}`;
    case 'rename-local':
      return `${a.decision} rename-local ${a.from} → ${a.to}`;
    case 'move-remote':
      return `${a.decision} move-remote ${a.from} → ${a.to} ${label(a.local)}`;
  }
}

const touchedPaths = (a: PlannedAction): string[] => ('from' in a ? [a.from, a.to] : a.kind === 'conflict' ? [a.path, a.copyPath] : [a.path]);

const reversed = (input: ReconcileInput): ReconcileInput => ({
  ...input,
  local: [...input.local].reverse(),
  remote: { ...input.remote, files: [...input.remote.files].reverse() },
  base: [...input.base].reverse(),
});

/** One `it` per case; besides the case's own expectations, checks what must hold for every plan. */
export function runPlanTable(cases: PlanCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const { input, label } = build(c);
      const plan = reconcile(input);
      expect(plan.actions.map((a) => describeAction(a, label))).toEqual(c.actions);
      expect(plan.refused.map((r) => `${r.side} ${r.path}`).sort()).toEqual((c.refused ?? []).map(([who]) => who).sort());
      for (const [who, fragment] of c.refused ?? []) {
        const found = plan.refused.find((r) => `${r.side} ${r.path}` === who);
        expect(found?.reason, who).toContain(fragment);
      }
      expect(plan.held).toEqual(c.held ?? []);

      const untouchable = new Set([...plan.refused.map((r) => r.path), ...plan.held.flatMap((h) => h.paths)]);
      expect(plan.actions.flatMap(touchedPaths).filter((p) => untouchable.has(p))).toEqual([]);
      const touched = plan.actions.flatMap(touchedPaths);
      expect(touched.length, 'no two actions touch one path').toBe(new Set(touched).size);
      expect(reconcile(reversed(input)), 'the plan does not depend on input order').toEqual(plan);
      // The cycle plans in slices with the event loop let in between: here a slice is one unit of work.
      const sliced = await drive(reconcileInSlices(input, new Slicer(1)), { between: () => Promise.resolve() });
      expect(sliced, 'the plan made in slices is the plan made at once').toEqual(plan);
    });
  }
}
