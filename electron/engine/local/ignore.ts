/**
 * Which relative paths the engine never syncs, in either direction: built-in defaults plus the
 * folder's root `.wsyncignore` (gitignore syntax, matched by the `ignore` package).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { WsyncError } from '../errors.js';
import { STATE_DIR } from '../model/state-folder.js';

export const IGNORE_FILE = '.wsyncignore';

/** The suffix of temporary files the engine or the API client may leave beside a destination. */
export const TEMP_SUFFIX = '.wsync-tmp';

export const DEFAULT_IGNORES: readonly string[] = [
  `${STATE_DIR}/`,
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '~$*',
  '.~lock.*#',
  '*.swp',
  `*${TEMP_SUFFIX}`,
  `.*${TEMP_SUFFIX}*`,
];

export interface IgnoreMatcher {
  /** `path` is relative and '/'-separated; a directory is asked with a trailing '/'. */
  ignores(path: string): boolean;
}

const OWN_HINT = /\.wsync/i;

/**
 * What no name can outgrow: `.wsync/` and the temporary-file patterns, whatever the user file says
 * (a `!.wsync/` must not expose the state database). Checked here rather than by a second
 * matcher: it runs on every path of every cycle, and a matcher keeps a cache entry per path.
 * Like the `ignore` package, case-insensitive, and a folder covers everything under it.
 */
function isOwn(path: string): boolean {
  if (!OWN_HINT.test(path)) return false;
  const segments = path.toLowerCase().split('/');
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const name = segments[i] as string;
    // `.wsync/` names a folder: a segment before a '/' (a trailing '/' leaves an empty last one).
    if (name === STATE_DIR && i < last) return true;
    if (name.endsWith(TEMP_SUFFIX)) return true;
    if (name.startsWith('.') && name.includes(TEMP_SUFFIX, 1)) return true;
  }
  return false;
}

/**
 * Every default pattern needs one of these in some name of the path (case-insensitively, as the
 * matcher compares): without a user file, a path with none of them is not ignored, and the
 * matcher need not see it.
 */
const DEFAULT_HINT = /\.wsync|\.ds_store|thumbs\.db|desktop\.ini|~\$|\.~lock\.|\.swp/i;

export function createIgnoreMatcher(extraPatterns = ''): IgnoreMatcher {
  const ig = ignore()
    .add([...DEFAULT_IGNORES])
    .add(extraPatterns);
  const onlyDefaults = extraPatterns.trim() === '';
  let own: Ignore | undefined;
  // The same rules as `isOwn`, for the rare path that holds a backslash or an empty segment.
  const ownMatcher = (): Ignore => (own ??= ignore().add([`${STATE_DIR}/`, `*${TEMP_SUFFIX}`, `.*${TEMP_SUFFIX}*`]));
  return {
    ignores(path) {
      // The matcher refuses paths that are not relative (`../x`, `/x`): such remote names are the
      // planner's to refuse, so they are reported there rather than silently ignored here. It
      // reads a backslash as a separator on Windows only, and folds empty segments: the
      // shortcuts below never see either (both are unsafe names the planner refuses anyway).
      if (!ignore.isPathValid(path)) return false;
      if (path.includes('\\') || path.includes('//')) return ig.ignores(path) || ownMatcher().ignores(path);
      if (isOwn(path)) return true;
      if (onlyDefaults && !DEFAULT_HINT.test(path)) return false;
      return ig.ignores(path);
    },
  };
}

/** Reads `ROOT/.wsyncignore` when present. */
export async function loadIgnoreMatcher(root: string): Promise<IgnoreMatcher> {
  let text = '';
  try {
    text = await readFile(join(root, IGNORE_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new WsyncError('local-io', `cannot read ${IGNORE_FILE}: ${(err as Error).message}`, { cause: err, code });
    }
  }
  return createIgnoreMatcher(text);
}
