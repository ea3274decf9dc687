/**
 * Partial downloads kept across runs (`.wsync/partial/`), so an interrupted download (Ctrl-C, a
 * pause, a dropped connection, a killed process) resumes with `Range: bytes=N-` instead of
 * starting again. A partial is named after the version it holds, sha256(key, etag, size): the
 * next run finds it only for that same version, and a new version of the file never reads an old
 * one's bytes. Without an etag there is no way to tell versions apart, so nothing is kept.
 *
 * Beside each partial a small record says how many of its bytes are durable (fsynced): only those
 * are trusted on resume, so a power cut that left a torn tail costs the tail, never wrong bytes.
 * Where the etag is a plain MD5 the whole file is also checked once it is complete.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeEtag } from '../model/etag.js';
import type { RemoteFile } from '../model/trees.js';

const PARTIAL_SUFFIX = '.partial';
const RECORD_SUFFIX = '.partial.json';

/** A partial untouched this long is dropped: a week-old half download is not worth the disk. */
export const PARTIAL_MAX_AGE_MS = 7 * 24 * 3600_000;

export interface PartialSlot {
  /** The partial's bytes. */
  path: string;
  /** How many of them are durable. */
  record: string;
  name: string;
}

/** Where a partial of exactly this version lives, or null when the version cannot be told apart. */
export function partialSlot(dir: string, file: Pick<RemoteFile, 'key' | 'etag' | 'size'>): PartialSlot | null {
  const etag = normalizeEtag(file.etag);
  if (etag === undefined) return null;
  const name = createHash('sha256').update(`${file.key}\u0000${etag}\u0000${file.size}`).digest('hex').slice(0, 40);
  return { name, path: join(dir, `${name}${PARTIAL_SUFFIX}`), record: join(dir, `${name}${RECORD_SUFFIX}`) };
}

/** The partial's bytes that may be resumed from: durable, on disk, and no more than the file. */
export async function trustedBytes(slot: PartialSlot, size: number): Promise<number> {
  let recorded: number;
  try {
    const parsed = JSON.parse(await readFile(slot.record, 'utf8')) as { durableBytes?: unknown };
    recorded = typeof parsed.durableBytes === 'number' && Number.isSafeInteger(parsed.durableBytes) ? parsed.durableBytes : 0;
  } catch {
    return 0;
  }
  try {
    const onDisk = (await stat(slot.path)).size;
    return Math.max(0, Math.min(recorded, onDisk, size));
  } catch {
    return 0;
  }
}

/** Records that the first `bytes` are durable; best effort (a lost record only costs a resume). */
export async function recordDurable(slot: PartialSlot, bytes: number): Promise<void> {
  await writeFile(slot.record, JSON.stringify({ durableBytes: bytes })).catch(() => undefined);
}

export async function discardPartial(slot: PartialSlot): Promise<void> {
  await rm(slot.record, { force: true }).catch(() => undefined);
  await rm(slot.path, { force: true }).catch(() => undefined);
}

/**
 * Drops every partial (and record, and anything else) in `dir` that is not one of `keep`, and
 * those untouched for `maxAgeMs`. Run once a cycle has planned everything it still needs: a
 * partial of a version no download wants any more is never resumed.
 */
export async function prunePartials(dir: string, keep: ReadonlySet<string>, now: number, maxAgeMs = PARTIAL_MAX_AGE_MS): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of names) {
    const name = entry.endsWith(RECORD_SUFFIX)
      ? entry.slice(0, -RECORD_SUFFIX.length)
      : entry.endsWith(PARTIAL_SUFFIX)
        ? entry.slice(0, -PARTIAL_SUFFIX.length)
        : null;
    let stale = name === null || !keep.has(name);
    if (!stale) {
      const modified = await stat(join(dir, entry)).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      stale = now - modified > maxAgeMs;
    }
    if (stale) {
      await rm(join(dir, entry), { recursive: true, force: true }).catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
}
