/**
 * Progress as rclone's -P and Syncthing show it: files x/y, bytes x/y, speed and time left, and
 * what is being transferred. Both `sync --once` and `watch` fold FolderStatus snapshots (the
 * engine's status store) through one tracker; this module only counts and formats, and the clock
 * is an argument.
 */
import type { FolderStatus, Transfer } from '../shared/status.js';
import { formatBytes, formatSpeed } from '../shared/format.js';
import { fitEnd, fitMiddle, formatDuration, showPath, stringWidth } from './text.js';

export interface ProgressFigures {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Over the last few seconds; 0 until something moved. */
  bytesPerSecond: number;
  /** Seconds left at the current speed, or null while that is unknown. */
  etaSeconds: number | null;
  transfers: Transfer[];
}

/** How far back the overall speed looks. */
const SPEED_WINDOW_MS = 5_000;

export interface ProgressTracker {
  /** The figures for a syncing status, or null when the folder is not syncing (the count starts over). */
  update(status: FolderStatus, nowMs: number): ProgressFigures | null;
}

/**
 * Totals are what was pending when a sync began, grown by whatever is added later (a second pass,
 * a change seen meanwhile); work done is the total less what is still pending, plus the bytes of
 * transfers in flight.
 */
export function createProgressTracker(): ProgressTracker {
  let episode: { files: number; bytes: number; prevFiles: number; prevBytes: number; samples: { at: number; bytes: number }[] } | null = null;
  return {
    update(status, nowMs) {
      if (status.state !== 'syncing') {
        episode = null;
        return null;
      }
      const files = status.pending.uploads + status.pending.downloads + status.pending.deletes;
      const bytes = status.pending.bytes;
      episode ??= { files: 0, bytes: 0, prevFiles: 0, prevBytes: 0, samples: [] };
      if (files > episode.prevFiles) episode.files += files - episode.prevFiles;
      if (bytes > episode.prevBytes) episode.bytes += bytes - episode.prevBytes;
      episode.prevFiles = files;
      episode.prevBytes = bytes;
      const inFlight = status.transfers.reduce((n, t) => n + t.bytesDone, 0);
      const bytesDone = Math.min(episode.bytes, Math.max(0, episode.bytes - bytes + inFlight));
      const samples = episode.samples;
      samples.push({ at: nowMs, bytes: bytesDone });
      while (samples.length > 2 && (samples[0]?.at ?? nowMs) < nowMs - SPEED_WINDOW_MS) samples.shift();
      const first = samples[0];
      const span = first === undefined ? 0 : nowMs - first.at;
      const speed =
        first !== undefined && span >= 1000
          ? Math.max(0, ((bytesDone - first.bytes) * 1000) / span)
          : status.transfers.reduce((n, t) => n + t.bytesPerSecond, 0);
      const bytesLeft = episode.bytes - bytesDone;
      return {
        filesDone: episode.files - files,
        filesTotal: episode.files,
        bytesDone,
        bytesTotal: episode.bytes,
        bytesPerSecond: speed,
        etaSeconds: bytesLeft <= 0 ? 0 : speed > 0 ? bytesLeft / speed : null,
        transfers: status.transfers,
      };
    },
  };
}

const ARROW = { upload: '↑', download: '↓' } as const;

/** `12/40 files  3.1 MB / 120 MB  4.5 MB/s  ETA 26s` */
export function figuresText(f: ProgressFigures): string {
  const parts = [`${f.filesDone}/${f.filesTotal} files`];
  if (f.bytesTotal > 0) parts.push(`${formatBytes(f.bytesDone)} / ${formatBytes(f.bytesTotal)}`);
  if (f.bytesPerSecond > 0) parts.push(formatSpeed(f.bytesPerSecond));
  if (f.etaSeconds !== null && f.bytesTotal > 0) parts.push(`ETA ${formatDuration(f.etaSeconds)}`);
  return parts.join('  ');
}

/** The transfer worth naming on a one-line display: the largest one in flight. */
function mainTransfer(transfers: readonly Transfer[]): Transfer | undefined {
  return transfers.reduce<Transfer | undefined>((best, t) => (best === undefined || t.bytesTotal > best.bytesTotal ? t : best), undefined);
}

/** One line of at most `columns` - 1 columns (the last column would wrap on some terminals). */
export function progressLine(label: string, f: ProgressFigures, columns: number): string {
  const width = Math.max(1, columns - 1);
  const head = `${label}  ${figuresText(f)}`;
  const t = mainTransfer(f.transfers);
  if (t === undefined) return fitEnd(head, width);
  const more = f.transfers.length > 1 ? ` (+${f.transfers.length - 1})` : '';
  const prefix = `${head}  ${ARROW[t.direction]} `;
  const room = width - stringWidth(prefix) - stringWidth(more);
  if (room < 8) return fitEnd(head, width);
  return `${prefix}${fitMiddle(showPath(t.path), room)}${more}`;
}

/** One transfer's own line in the watch frame. */
export function transferLine(t: Transfer, columns: number): string {
  const width = Math.max(1, columns - 1);
  const pct = t.bytesTotal > 0 ? Math.floor((100 * t.bytesDone) / t.bytesTotal) : 100;
  const tail = `  ${formatBytes(t.bytesDone)} / ${formatBytes(t.bytesTotal)} ${pct}%${t.bytesPerSecond > 0 ? `  ${formatSpeed(t.bytesPerSecond)}` : ''}`;
  const head = `  ${ARROW[t.direction]} `;
  const room = width - stringWidth(head) - stringWidth(tail);
  if (room < 8) return fitEnd(`${head}${showPath(t.path)}`, width);
  return `${head}${fitMiddle(showPath(t.path), room)}${tail}`;
}

export function bar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** The fraction done: by bytes where there are bytes to move, else by files. */
export function fractionDone(f: ProgressFigures): number {
  if (f.bytesTotal > 0) return Math.min(1, f.bytesDone / f.bytesTotal);
  return f.filesTotal > 0 ? Math.min(1, f.filesDone / f.filesTotal) : 0;
}
