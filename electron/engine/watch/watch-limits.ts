/**
 * Recognises the errors an OS file watcher raises when it runs out of watches or descriptors,
 * and says how to raise the limit (Linux inotify is the usual case).
 */

export interface WatchLimitReport {
  code: string;
  /** What happened and what wsync does instead, in words a user understands. */
  message: string;
  /** The command that raises the limit. */
  fix: string;
}

const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/** The `code` of a Node system error, or '' for anything else. */
export function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

export function watchLimitReport(err: unknown, fallbackScanMinutes: number, platform: NodeJS.Platform = process.platform): WatchLimitReport | null {
  const code = errorCode(err);
  if (!LIMIT_CODES.has(code)) return null;
  const every = fallbackScanMinutes === 1 ? 'every minute' : `every ${fallbackScanMinutes} minutes`;
  const fix =
    platform !== 'linux'
      ? 'Raise the open-files limit (ulimit -n) and restart wsync.'
      : code === 'ENOSPC'
        ? 'sudo sysctl fs.inotify.max_user_watches=524288 (add "fs.inotify.max_user_watches=524288" to /etc/sysctl.conf to keep it), then restart wsync.'
        : 'sudo sysctl fs.inotify.max_user_instances=1024 (or raise "ulimit -n"), then restart wsync.';
  const what = code === 'ENOSPC' ? 'The system limit on watched files was reached' : 'The system ran out of file watchers or open files';
  return {
    code,
    message: `${what} (${code}): live change detection is off and the folder is scanned ${every} instead. To fix: ${fix}`,
    fix,
  };
}
