/**
 * The `--prefix` (the remote folder a local folder mirrors), checked once where it enters: the
 * CLI flags, the desktop app's folder form, and the start of every cycle (a stored setting may
 * predate this check). A prefix is a folder path relative to the workspace root, held by the same
 * name rules as every remote name, so that `prefix + path` is a name no mirror refuses.
 */
import { portablePathReason } from '../plan/names.js';

export type PrefixCheck = { ok: true; prefix: string } | { ok: false; message: string };

const quote = (text: string): string => JSON.stringify(text);

/**
 * `''` (the whole workspace) or a folder ending in '/': `results` and `results/` both give
 * `results/`. Nothing else is rewritten, because a guess (`./sub` read as `sub`) that differs
 * from what another client reads would put files where nobody expects them.
 */
export function checkPrefix(raw: string): PrefixCheck {
  if (raw === '' || raw === '/') return { ok: true, prefix: '' };
  const folder = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const refuse = (why: string): PrefixCheck => ({
    ok: false,
    message: `the prefix ${quote(raw)} is not a folder path inside the workspace (${why}); write it like results/2024/`,
  });
  if (folder.startsWith('/')) return refuse("it starts with '/': a prefix is relative to the workspace root");
  const reason = portablePathReason(folder);
  return reason === null ? { ok: true, prefix: `${folder}/` } : refuse(reason);
}
