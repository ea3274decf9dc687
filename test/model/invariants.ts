/**
 * The checks run after the quiet cycles (shared/design/sync-semantics.md, invariants 1-7, as
 * issue 7 numbers them). Each returns human-readable violations naming the paths involved.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_SUFFIX } from '../../electron/engine/local/ignore.js';
import { portablePathReason } from '../../electron/engine/plan/names.js';
import { StateDb } from '../../electron/engine/state/state-db.js';
import type { Emulator } from '../../emulator/types.js';
import { md5, type SyncRig } from '../support/sync-rig.js';
import { copyChain, copyOrigin, type Model } from './model.js';

export interface FinalState {
  local: Map<string, string>;
  remote: Map<string, string>;
  root: string;
}

/** 1. local tree = remote tree = the state database's view. */
export function checkConvergence(s: FinalState, rig: SyncRig): string[] {
  const out: string[] = [];
  const paths = new Set([...s.local.keys(), ...s.remote.keys()]);
  // A name the contract refuses stays local (reported, never uploaded): invariant 9 checks that.
  const keptLocal = (p: string) => !s.remote.has(p) && portablePathReason(p) !== null;
  for (const p of [...paths].sort()) {
    if (keptLocal(p)) continue;
    const l = s.local.get(p);
    const r = s.remote.get(p);
    if (l !== r) out.push(`[1 convergence] ${JSON.stringify(p)}: local=${JSON.stringify(l ?? null)} remote=${JSON.stringify(r ?? null)}`);
  }
  const dbFile = join(s.root, '.wsync', 'state.db');
  if (!existsSync(dbFile)) return [...out, '[1 convergence] no state database'];
  const db = StateDb.open(dbFile, { readonly: true });
  try {
    const base = new Map(db.allBase().map((b) => [b.path, b]));
    const remoteMeta = new Map(rig.emu.admin.list(rig.workspace).map((f) => [f.path, f]));
    for (const p of new Set([...base.keys(), ...s.local.keys()])) {
      if (keptLocal(p) && !base.has(p)) continue;
      const b = base.get(p);
      const l = s.local.get(p);
      const r = remoteMeta.get(p);
      if (b === undefined) out.push(`[1 convergence] ${JSON.stringify(p)}: on disk but no base row`);
      else if (l === undefined) out.push(`[1 convergence] ${JSON.stringify(p)}: base row for a file that is gone`);
      else if (b.hash !== md5(l)) out.push(`[1 convergence] ${JSON.stringify(p)}: base hash ${b.hash} is not the file's ${md5(l)}`);
      else if (r === undefined || b.etag !== r.etag || b.remoteKey !== r.key) {
        out.push(`[1 convergence] ${JSON.stringify(p)}: base remote version ${b.remoteKey}/${b.etag} is not the server's ${r?.key}/${r?.etag}`);
      }
    }
    if (db.pendingIntents().length > 0) out.push(`[1 convergence] ${db.pendingIntents().length} journal intents still open`);
  } finally {
    db.close();
  }
  return out;
}

/** 2. the last content a user wrote at a path (not since removed by that side) is still there. */
export function checkNoLostWrite(s: FinalState, m: Model): string[] {
  const out: string[] = [];
  for (const o of m.obligations) {
    const atPath = s.local.get(o.path) === o.content;
    const inCopy = [...s.local].some(([p, c]) => c === o.content && copyChain(p).includes(o.path));
    if (!atPath && !inCopy) {
      out.push(
        `[2 lost write] ${o.side} wrote ${JSON.stringify(o.content)} at ${JSON.stringify(o.path)}; final there: ${JSON.stringify(s.local.get(o.path) ?? null)}`,
      );
    }
  }
  return out;
}

/**
 * 3. a path disappears only where a user deleted (or moved away) it: at the end, and at any moment
 * the engine moved a local file to its trash (even if a later cycle brought it back).
 */
export function checkJustifiedDeletes(s: FinalState, m: Model): string[] {
  const out: string[] = [];
  const trash = join(s.root, '.wsync', 'trash');
  if (existsSync(trash)) {
    for (const batch of readdirSync(trash)) {
      for (const p of filesUnder(join(trash, batch))) {
        if (!m.deleted.has(p)) out.push(`[3 unjustified delete] the engine moved ${JSON.stringify(p)} to the trash and no user deleted it`);
      }
    }
  }
  for (const p of [...m.seen].sort()) {
    if (!s.local.has(p) && !s.remote.has(p) && !m.deleted.has(p))
      out.push(`[3 unjustified delete] ${JSON.stringify(p)} vanished and no user deleted it`);
  }
  return out;
}

/** 4. conflict copies only for two different writes; one-sided changes land at their own path. */
export function checkNoFalseConflict(s: FinalState, m: Model): string[] {
  const out: string[] = [];
  for (const [p, c] of s.local) {
    const origin = copyOrigin(p);
    if (origin === null) continue;
    const userMade = [...Object.values<Set<string>>(m.written.get(p) ?? {})].some((set) => set.has(c));
    const chain = copyChain(p);
    if (!userMade && !chain.some((q) => m.conflictJustified(q, c))) {
      out.push(
        `[4 false conflict] ${JSON.stringify(p)} holds ${JSON.stringify(c)}, but no two different writes met at ${JSON.stringify(origin)}${m.touched.has(origin) ? ' (it was touched)' : ''}`,
      );
    }
  }
  for (const o of m.obligations) {
    if (m.oneSided(o.path, o.side) && s.local.get(o.path) !== o.content) {
      out.push(`[4 one-sided change moved] ${o.side} alone wrote ${JSON.stringify(o.content)} at ${JSON.stringify(o.path)}; it is not there`);
    }
  }
  return out;
}

/** 5 (first half). no temporary or partial files anywhere in the folder or its staging area. */
export function checkNoTempFiles(s: FinalState): string[] {
  const out: string[] = [];
  const tmp = join(s.root, '.wsync', 'tmp');
  if (existsSync(tmp) && readdirSync(tmp).length > 0) out.push(`[5 temp files] .wsync/tmp holds ${readdirSync(tmp).join(', ')}`);
  for (const p of s.local.keys()) {
    if (p.includes(TEMP_SUFFIX) || p.endsWith('.download') || p.endsWith('.partial'))
      out.push(`[5 temp files] ${JSON.stringify(p)} left in the folder`);
  }
  return out;
}

/** 9. no name on the server that wsync's own rules (or another client's) would refuse. */
export function checkNamesWritten(s: FinalState): string[] {
  return [...s.remote.keys()].flatMap((p) => {
    const refused = portablePathReason(p);
    return refused === null ? [] : [`[9 refused name written] ${JSON.stringify(p)} is on the server, and ${refused}`];
  });
}

/** 5 (second half), 7. a cycle after quiet moves nothing. */
export function transfersOf(emu: Emulator): number {
  const c = emu.counters();
  return c.upload + c['upload-url'] + c['upload-confirm'] + c['download-url'] + c['storage-get'] + c['storage-put'] + c.delete;
}

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    return e.isDirectory() ? filesUnder(dir, p) : [p];
  });
}
