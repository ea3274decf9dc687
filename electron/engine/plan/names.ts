/**
 * Which names may be synced. Remote names are untrusted: one that could escape the folder, hide
 * behind a control character, or land on top of another file once the local file system folds
 * case or Unicode normalisation must never be written. A refused name is reported and no action
 * touches its path; every other path still syncs.
 */
import { STATE_DIR } from '../model/state-folder.js';
import type { Platform, RefusedName } from './types.js';

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
  for (let start = 0; start <= path.length; ) {
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

export interface SidedPath {
  path: string;
  side: 'local' | 'remote';
}

interface Node {
  /** The spellings of this name (a file or a folder prefix) and the paths that hold each. */
  spellings: Map<string, SidedPath[]>;
  files: SidedPath[];
  folders: SidedPath[];
}

/**
 * Paths that cannot coexist on the local file system: two spellings of one name (case or
 * normalisation, in the file name or in any folder above it), or one name used both as a file and
 * as a folder. Every path in such a group is refused, on whichever side it is, so that neither can
 * overwrite the other; the reason names the paths it clashes with.
 */
export function findClashes(paths: SidedPath[], caseInsensitiveFs: boolean): RefusedName[] {
  const nodes = new Map<string, Node>();
  for (const entry of paths) {
    const segments = entry.path.split('/');
    for (let depth = 1; depth <= segments.length; depth++) {
      const spelling = segments.slice(0, depth).join('/');
      const key = nameKey(spelling, caseInsensitiveFs);
      let node = nodes.get(key);
      if (node === undefined) {
        node = { spellings: new Map(), files: [], folders: [] };
        nodes.set(key, node);
      }
      const holders = node.spellings.get(spelling) ?? [];
      holders.push(entry);
      node.spellings.set(spelling, holders);
      (depth === segments.length ? node.files : node.folders).push(entry);
    }
  }
  const refused = new Map<string, RefusedName>();
  const refuse = (entry: SidedPath, reason: string): void => {
    const id = `${entry.side}\u0000${entry.path}`;
    if (!refused.has(id)) refused.set(id, { path: entry.path, side: entry.side, reason });
  };
  for (const node of [...nodes.values()].sort((a, b) => depthOf(a) - depthOf(b))) {
    if (node.spellings.size > 1) {
      for (const [spelling, holders] of node.spellings) {
        const others = [...node.spellings].filter(([s]) => s !== spelling).flatMap(([, h]) => h);
        const why = [...node.spellings.keys()].every((s) => s.normalize('NFC') === spelling.normalize('NFC'))
          ? 'the names differ only in Unicode normalisation (NFC/NFD)'
          : 'the names differ only in letter case, which this file system ignores';
        for (const entry of holders) refuse(entry, `clashes with ${nameAll(others)}: ${why}`);
      }
    }
    if (node.files.length > 0 && node.folders.length > 0) {
      for (const entry of node.files) refuse(entry, `clashes with ${nameAll(node.folders)}: one name cannot be both a file and a folder`);
      for (const entry of node.folders) refuse(entry, `clashes with ${nameAll(node.files)}: one name cannot be both a file and a folder`);
    }
  }
  return [...refused.values()];
}

const ASCII = /^[\x00-\x7f]*$/;
const isNfc = (path: string): boolean => ASCII.test(path) || path.normalize('NFC') === path;

/**
 * The cheap pass before `findClashes`: whether any clash is possible among these paths. A clash
 * needs one name with two spellings, or one spelling used as both a file and a folder; when
 * neither occurs (the usual cycle) there is nothing to group. Saying yes wrongly costs only the
 * full grouping.
 */
function mayClash(lists: readonly string[][], caseInsensitiveFs: boolean): boolean {
  // On a case-sensitive file system an NFC name is its own key (folders above it are NFC too:
  // normalisation never reaches across a '/'), so two spellings of one name need a non-NFC one.
  if (caseInsensitiveFs || lists.some((paths) => !paths.every(isNfc))) return spellingsOrUsesClash(lists, caseInsensitiveFs);
  const folders = new Set<string>();
  for (const paths of lists) {
    let previous = '';
    for (const path of paths) {
      // Paths come mostly grouped by folder: a path directly in the previous folder adds nothing.
      const slash = path.lastIndexOf('/');
      if (slash === previous.length && slash > 0 && path.startsWith(previous)) continue;
      previous = slash > 0 ? path.slice(0, slash) : '';
      for (let at = slash; at > 0; at = path.lastIndexOf('/', at - 1)) {
        const folder = path.slice(0, at);
        if (folders.has(folder)) break;
        folders.add(folder);
      }
    }
  }
  return lists.some((paths) => paths.some((path) => folders.has(path)));
}

const FILE = 1;
const FOLDER = 2;

/** `mayClash` by name keys: every file and folder name, with the ways each is used. */
function spellingsOrUsesClash(lists: readonly string[][], caseInsensitiveFs: boolean): boolean {
  const byKey = new Map<string, { spelling: string; uses: number }>();
  let clash = false;
  /** Records one use of a name: false when that use was seen already. */
  const visit = (spelling: string, use: number): boolean => {
    const key = nameKey(spelling, caseInsensitiveFs);
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, { spelling, uses: use });
      return true;
    }
    if (seen.spelling !== spelling || (seen.uses | use) === (FILE | FOLDER)) clash = true;
    if ((seen.uses & use) !== 0) return false;
    seen.uses |= use;
    return true;
  };
  for (const paths of lists) {
    for (const path of paths) {
      visit(path, FILE);
      // A folder seen before has had the folders above it visited.
      for (let slash = path.lastIndexOf('/'); slash > 0 && !clash; slash = path.lastIndexOf('/', slash - 1)) {
        if (!visit(path.slice(0, slash), FOLDER)) break;
      }
      if (clash) return true;
    }
  }
  return false;
}

function depthOf(node: Node): number {
  const [first] = node.spellings.keys();
  return first === undefined ? 0 : first.split('/').length;
}

function nameAll(entries: SidedPath[]): string {
  const unique = [...new Map(entries.map((e) => [`${e.side}\u0000${e.path}`, e])).values()];
  const named = unique.slice(0, 3).map((e) => `${e.side} ${quote(e.path)}`).join(', ');
  return unique.length > 3 ? `${named} and ${unique.length - 3} more` : named;
}

export interface ScreenedNames {
  refused: RefusedName[];
  /** Exact paths no action may touch, on either side. */
  blocked: Set<string>;
}

/**
 * Screens one cycle's names: unsafe remote names, remote paths listed twice, local names that
 * could not come back from the server intact, then clashes among everything that remains.
 * `renamedInPlace` names the old spelling of a file renamed only in case or normalisation
 * (see `findRenamesInPlace`): it is about to give way to the new spelling, so it clashes with
 * nothing.
 */
export function screenNames(
  localPaths: string[],
  remotePaths: string[],
  options: { caseInsensitiveFs: boolean; platform: Platform },
  renamedInPlace: { local: Set<string>; remote: Set<string> } = { local: new Set(), remote: new Set() },
): ScreenedNames {
  const refused: RefusedName[] = [];
  const remoteCandidates: string[] = [];
  const localCandidates: string[] = [];
  const listed = new Map<string, number>();
  for (const path of remotePaths) listed.set(path, (listed.get(path) ?? 0) + 1);
  for (const [path, count] of listed) {
    const unsafe = unsafePathReason(path, options.platform);
    if (unsafe !== null) refused.push({ path, side: 'remote', reason: unsafe });
    else if (count > 1) refused.push({ path, side: 'remote', reason: `the server listed this path ${count} times` });
    else if (!renamedInPlace.remote.has(path)) remoteCandidates.push(path);
  }
  for (const path of localPaths) {
    const unsafe = unsafePathReason(path, options.platform);
    if (unsafe !== null) refused.push({ path, side: 'local', reason: `${unsafe}, so it could not be synced back` });
    else if (!renamedInPlace.local.has(path)) localCandidates.push(path);
  }
  if (mayClash([remoteCandidates, localCandidates], options.caseInsensitiveFs)) {
    const candidates: SidedPath[] = [
      ...remoteCandidates.map((path): SidedPath => ({ path, side: 'remote' })),
      ...localCandidates.map((path): SidedPath => ({ path, side: 'local' })),
    ];
    refused.push(...findClashes(candidates, options.caseInsensitiveFs));
  }
  refused.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.side < b.side ? -1 : a.side > b.side ? 1 : 0));
  return { refused, blocked: new Set(refused.map((r) => r.path)) };
}
