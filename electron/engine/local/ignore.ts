/**
 * Which relative paths the engine never syncs, in either direction: built-in defaults plus the
 * folder's root `.wsyncignore` (gitignore syntax, matched by the `ignore` package).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';
import { WsyncError } from '../errors.js';

export const IGNORE_FILE = '.wsyncignore';

/** The suffix of temporary files the engine or the API client may leave beside a destination. */
export const TEMP_SUFFIX = '.wsync-tmp';

export const DEFAULT_IGNORES: readonly string[] = [
  '.wsync/',
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

export function createIgnoreMatcher(extraPatterns: string = ''): IgnoreMatcher {
  const ig = ignore().add([...DEFAULT_IGNORES]).add(extraPatterns);
  // `.wsync/` is ours whatever the user file says: a `!.wsync/` must not expose the state database.
  const own = ignore().add(['.wsync/', `*${TEMP_SUFFIX}`, `.*${TEMP_SUFFIX}*`]);
  return {
    ignores(path) {
      try {
        return own.ignores(path) || ig.ignores(path);
      } catch {
        // The matcher throws on paths that are not relative (`../x`, `/x`): such remote names are
        // the planner's to refuse, so they are reported there rather than silently ignored here.
        return false;
      }
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
