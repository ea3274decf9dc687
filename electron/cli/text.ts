/**
 * Text for a terminal: widths as the terminal draws them (string-width: CJK and emoji take two
 * columns, combining marks none), names shortened in the middle so both ends stay readable, and
 * paths with control characters escaped rather than sent to the terminal. One timestamp format
 * for every human-facing line (JSON keeps ISO 8601).
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

export { stringWidth };

/** Ordinary names plainly; anything with control characters or quotes escaped, never raw to a terminal. */
export function showPath(path: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}\p{M} ]+$/u.test(path) && !path.includes('"') ? path : JSON.stringify(path);
}

/**
 * cli-truncate can come out one column over when the cut lands inside a wide (CJK) character
 * (measured: a 45-column request gave 46): ask again one narrower until it fits.
 */
function fit(text: string, columns: number, position: 'middle' | 'end'): string {
  if (stringWidth(text) <= columns) return text;
  for (let want = columns; want > 0; want--) {
    const cut = cliTruncate(text, want, { position });
    if (stringWidth(cut) <= columns) return cut;
  }
  return '';
}

/** `text` in at most `columns` terminal columns, shortened in the middle. */
export function fitMiddle(text: string, columns: number): string {
  return fit(text, columns, 'middle');
}

/** `text` in at most `columns` terminal columns, cut at the end. */
export function fitEnd(text: string, columns: number): string {
  return fit(text, columns, 'end');
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local time, `2026-11-27 14:03:12`: the one format of every timestamp the CLI prints for people. */
export function formatTime(at: string | number | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `45s`, `3m05s`, `1h02m`: a time left, as rclone shows it. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m`;
}
