/**
 * Names for the local side of a conflict (row 8): `NAME (conflicted copy YYYY-MM-DD HHMMSS).EXT`.
 */
const MAX_SEGMENT_BYTES = 255;
const utf8 = new TextEncoder();

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** UTC, so that the same cycle names the same copy whatever the machine's time zone. */
export function conflictStamp(now: Date): string {
  const date = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}`;
  return `${date} ${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}

/** The extension is what follows the last dot of the file name; a leading dot (`.bashrc`) starts no extension. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/**
 * The first free conflict-copy path for `path`: ` (2)`, ` (3)`… are added after the stamp when
 * the name is taken. The stem is shortened when the result would exceed the 255-byte segment limit
 * that the name screening would otherwise refuse.
 */
export function conflictCopyPath(path: string, now: Date, isTaken: (candidate: string) => boolean): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const { stem, ext } = splitExtension(path.slice(slash + 1));
  const stamp = conflictStamp(now);
  for (let n = 1; ; n++) {
    const tail = `${n === 1 ? '' : ` (${n})`}${ext}`;
    const name = `${fit(stem, ` (conflicted copy ${stamp})${tail}`)} (conflicted copy ${stamp})${tail}`;
    const candidate = folder + name;
    if (!isTaken(candidate)) return candidate;
  }
}

function fit(stem: string, suffix: string): string {
  const room = MAX_SEGMENT_BYTES - utf8.encode(suffix).length;
  let kept = stem;
  while (utf8.encode(kept).length > room) kept = Array.from(kept).slice(0, -1).join('');
  return kept;
}
