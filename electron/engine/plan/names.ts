/**
 * Which names may be synced. Remote names are untrusted: one that could escape the folder, hide
 * behind a control character, or land on top of another file once the local file system folds
 * case or Unicode normalisation must never be written. A refused name is reported and no action
 * touches its path; every other path still syncs.
 */
import type { Sliced, Slicer } from '../model/slices.js';
import { STATE_DIR } from '../model/state-folder.js';
import type { Platform, RefusedName } from './types.js';

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[A-Za-z]:/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;
const WINDOWS_FORBIDDEN_CHAR = /[<>:"|?*]/;
const MAX_SEGMENT_BYTES = 255;
const DOT = 0x2e;
const utf8 = new TextEncoder();

const quote = (path: string): string => JSON.stringify(path);

/** Why this path cannot be written under the sync folder on `platform`, or null when it can. */
export function unsafePathReason(path: string, platform: Platform): string | null {
  const portable = portablePathReason(path);
  if (portable !== null || platform !== 'win32') return portable;
  return windowsReason(path.split('/'));
}

/**
 * The rules every client of the contract applies to a name, whatever its platform: why this path
 * would be refused by wsync (or another client following files-api.md) anywhere, or null. Every
 * path wsync uploads passes these, so it never writes a name that a mirror of it would refuse.
 */
export function portablePathReason(path: string): string | null {
  if (path === '') return 'the name is empty';
  const control = CONTROL_CHAR.exec(path);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `the name contains the control character U+${code}`;
  }
  if (path.startsWith('/') || DRIVE_LETTER.test(path)) return 'the path is absolute';
  if (path.includes('\\')) return 'the name contains a backslash';
  // Segment by segment without splitting: this runs on every path of both sides each cycle.
  for (let start = 0; start <= path.length;) {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    if (end === start) return 'the path has an empty segment';
    if (end - start <= 2 && path.charCodeAt(start) === DOT && (end - start === 1 || path.charCodeAt(start + 1) === DOT)) {
      return `the path has a '${path.slice(start, end)}' segment`;
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes: only a long segment needs encoding to measure.
    if ((end - start) * 3 > MAX_SEGMENT_BYTES) {
      const segment = path.slice(start, end);
      if (utf8.encode(segment).length > MAX_SEGMENT_BYTES) {
        return `the segment ${quote(segment.slice(0, 24) + '…')} is longer than ${MAX_SEGMENT_BYTES} bytes`;
      }
    }
    start = end + 1;
  }
  const first = path.indexOf('/');
  if ((first === -1 ? path : path.slice(0, first)).toLowerCase() === STATE_DIR) return `the path lies inside ${STATE_DIR}/, wsync's own state folder`;
  return null;
}

function windowsReason(segments: string[]): string | null {
  for (const segment of segments) {
    const forbidden = WINDOWS_FORBIDDEN_CHAR.exec(segment);
    if (forbidden !== null) return `Windows forbids the character ${quote(forbidden[0])} in names`;
    if (/[. ]$/.test(segment)) return `Windows forbids a name ending in a dot or a space (${quote(segment)})`;
    const stem = segment.split('.')[0]?.trimEnd() ?? '';
    if (WINDOWS_DEVICE.test(stem)) return `${quote(segment)} is a device name Windows reserves`;
  }
  return null;
}

/**
 * The identity the local file system gives a name: normalisation never tells two names apart
 * (macOS folds it, and elsewhere two look-alike names are a trap), and case does not on a
 * case-insensitive file system.
 */
export function nameKey(path: string, caseInsensitiveFs: boolean): string {
  const nfc = path.normalize('NFC');
  return caseInsensitiveFs ? nfc.toLowerCase().normalize('NFC') : nfc;
}

export interface ScreenedNames {
  refused: RefusedName[];
  /** Exact paths no action may touch, on either side. */
  blocked: Set<string>;
}

/**
 * Screens one cycle's names, each on its own: unsafe remote names, remote paths listed twice, and
 * local names that could not come back from the server intact. Names that are safe alone but
 * collide with each other are judged after planning, on the trees as the cycle will leave them
 * (clashes.ts).
 */
export function* screenNames(localPaths: string[], remotePaths: string[], options: { platform: Platform }, slicer: Slicer): Sliced<ScreenedNames> {
  const refused: RefusedName[] = [];
  const listed = new Map<string, number>();
  for (const path of remotePaths) {
    listed.set(path, (listed.get(path) ?? 0) + 1);
    if (slicer.tick()) yield;
  }
  for (const [path, count] of listed) {
    const unsafe = unsafePathReason(path, options.platform);
    if (unsafe !== null) refused.push({ path, side: 'remote', reason: unsafe });
    else if (count > 1) refused.push({ path, side: 'remote', reason: `the server listed this path ${count} times` });
    if (slicer.tick()) yield;
  }
  for (const path of localPaths) {
    const unsafe = unsafePathReason(path, options.platform);
    if (unsafe !== null) refused.push({ path, side: 'local', reason: `${unsafe}, so it could not be synced back` });
    if (slicer.tick()) yield;
  }
  return { refused, blocked: new Set(refused.map((r) => r.path)) };
}
