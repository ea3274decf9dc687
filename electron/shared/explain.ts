/**
 * What went wrong, in words a user understands, with what to do about it: per file (the Errors
 * view, grouped notifications) and per folder (a failure of the whole folder, shown on its card,
 * in the tray and as a notification). The engine's own message stays available as "details",
 * with internal temporary paths and URL query strings taken out.
 */
import type { FileError, FolderStatus } from './status.js';

export type FileProblemCause =
  | 'permission'
  | 'disk-full'
  | 'read-only'
  | 'busy'
  | 'bad-name'
  | 'vanished'
  | 'changed'
  | 'too-large'
  | 'not-allowed'
  | 'gone-remote'
  | 'slow-down'
  | 'connection'
  | 'bad-answer'
  | 'unexpected';

export interface Explanation {
  cause: FileProblemCause;
  /** A plain sentence about one file. */
  sentence: string;
  /** The same for many files, after "200 files couldn't sync": "wsync isn't allowed to write them…" */
  many: string;
  /** What the user can do. */
  fix: string;
  /** Whether wsync tries again by itself (the user need not act). */
  retriesItself: boolean;
}

const CODE_CAUSE: Record<string, FileProblemCause> = {
  EACCES: 'permission',
  EPERM: 'permission',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  EROFS: 'read-only',
  EBUSY: 'busy',
  ETXTBSY: 'busy',
  ENAMETOOLONG: 'bad-name',
  EILSEQ: 'bad-name',
  ENOENT: 'vanished',
  ENOTDIR: 'vanished',
  EISDIR: 'bad-name',
  EEXIST: 'bad-name',
  EMFILE: 'busy',
  ENFILE: 'busy',
  EIO: 'unexpected',
};

const TEXT: Record<FileProblemCause, Omit<Explanation, 'cause'>> = {
  permission: {
    sentence: "wsync isn't allowed to write this file or its folder on this computer.",
    many: "wsync isn't allowed to write them on this computer.",
    fix: 'Check that the folder is not read-only or locked (and that you own it), then choose Retry.',
    retriesItself: false,
  },
  'disk-full': {
    sentence: 'The disk is full.',
    many: 'The disk is full.',
    fix: 'Free up space on this computer, then choose Retry.',
    retriesItself: false,
  },
  'read-only': {
    sentence: 'The folder is on a disk that cannot be written to.',
    many: 'The folder is on a disk that cannot be written to.',
    fix: 'Move the folder to a writable disk (Settings → Folders → Move…), or remount the disk.',
    retriesItself: false,
  },
  busy: {
    sentence: 'The file is in use by another program.',
    many: 'They are in use by another program.',
    fix: 'Close the program using it; wsync tries again by itself.',
    retriesItself: true,
  },
  'bad-name': {
    sentence: "The file's name cannot be used on this computer (too long, or taken by a folder).",
    many: 'Their names cannot be used on this computer.',
    fix: 'Rename it in the workspace or in your folder; wsync picks up the new name.',
    retriesItself: false,
  },
  vanished: {
    sentence: 'The file or its folder disappeared while wsync was working on it.',
    many: 'They disappeared while wsync was working on them.',
    fix: 'Nothing to do: wsync looks again on its next sync.',
    retriesItself: true,
  },
  changed: {
    sentence: 'The file changed while wsync was sending it.',
    many: 'They changed while wsync was sending them.',
    fix: 'wsync sends it again once it stops changing.',
    retriesItself: true,
  },
  'too-large': {
    sentence: 'The file is larger than the server accepts.',
    many: 'They are larger than the server accepts.',
    fix: 'Keep it out of the synced folder (Settings → Ignore rules), or ask the workspace owner to raise the limit.',
    retriesItself: false,
  },
  'not-allowed': {
    sentence: "The server didn't allow this file with your API key.",
    many: "The server didn't allow them with your API key.",
    fix: 'Check that your key may write to this workspace.',
    retriesItself: false,
  },
  'gone-remote': {
    sentence: 'The file is no longer in the workspace.',
    many: 'They are no longer in the workspace.',
    fix: 'Nothing to do: wsync looks again on its next sync.',
    retriesItself: true,
  },
  'slow-down': {
    sentence: 'The server asked wsync to slow down.',
    many: 'The server asked wsync to slow down.',
    fix: 'Nothing to do: wsync tries again by itself in a moment.',
    retriesItself: true,
  },
  connection: {
    sentence: 'The server could not be reached, or had a problem.',
    many: 'The server could not be reached, or had a problem.',
    fix: 'wsync tries again by itself. If this lasts, check your connection and proxy settings.',
    retriesItself: true,
  },
  'bad-answer': {
    sentence: 'The server sent an answer wsync could not use.',
    many: 'The server sent answers wsync could not use.',
    fix: 'Choose Retry later. If it keeps happening, create a debug archive for your administrator.',
    retriesItself: false,
  },
  unexpected: {
    sentence: 'Something unexpected went wrong.',
    many: 'Something unexpected went wrong.',
    fix: 'Choose Retry. If it keeps happening, create a debug archive for your administrator.',
    retriesItself: false,
  },
};

/** The errno-style code in an engine message ("EPERM: operation not permitted…", "local file ENOSPC (write)"). */
export function errorCode(message: string): string | undefined {
  return /\b(E[A-Z]{2,})\b/.exec(message)?.[1];
}

export function causeOf(error: Pick<FileError, 'kind' | 'message'>): FileProblemCause {
  const code = errorCode(error.message);
  if (code && CODE_CAUSE[code]) return CODE_CAUSE[code];
  if (/changed (size )?while it was being sent|changed during upload/i.test(error.message)) return 'changed';
  switch (error.kind) {
    case 'auth':
      return 'not-allowed';
    case 'not-found':
      return 'gone-remote';
    case 'rate-limited':
      return 'slow-down';
    case 'transient':
    case 'cancelled':
      return 'connection';
    case 'too-large':
      return 'too-large';
    case 'invalid-response':
      return 'bad-answer';
    case 'conflict':
      return 'changed';
    case 'local-io':
      return 'unexpected';
    case 'fatal':
      return 'unexpected';
  }
}

export function explainFileError(error: Pick<FileError, 'kind' | 'message'>): Explanation {
  const cause = causeOf(error);
  return { cause, ...TEXT[cause] };
}

/**
 * The engine's message as "details": internal temporary files (under `.wsync/` or named
 * `*.wsync-tmp`) become "a temporary file", and URL query strings (presigned signatures) are cut.
 */
export function scrubDetails(message: string): string {
  return message
    .replace(/https?:\/\/[^\s'"?]+\?[^\s'"]*/g, (url) => `${url.slice(0, url.indexOf('?'))}?…`)
    .replace(/'[^']*(?:[\\/]\.wsync[\\/]|\.wsync-tmp)[^']*'/g, 'a temporary file')
    .replace(/"[^"]*(?:[\\/]\.wsync[\\/]|\.wsync-tmp)[^"]*"/g, 'a temporary file')
    .replace(/(?:\/|[A-Za-z]:\\)\S*(?:[\\/]\.wsync[\\/]|\.wsync-tmp)\S*/g, 'a temporary file');
}

export interface FileErrorGroup {
  cause: FileProblemCause;
  explanation: Explanation;
  errors: FileError[];
}

/** Errors grouped by cause, the largest group first: one sentence for 200 files that failed alike. */
export function groupFileErrors(errors: readonly FileError[]): FileErrorGroup[] {
  const groups = new Map<FileProblemCause, FileErrorGroup>();
  for (const error of errors) {
    const explanation = explainFileError(error);
    const group = groups.get(explanation.cause) ?? { cause: explanation.cause, explanation, errors: [] };
    group.errors.push(error);
    groups.set(explanation.cause, group);
  }
  // Files in path order, as a folder lists them (the engine reports them in the order they failed).
  for (const group of groups.values()) group.errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...groups.values()].sort((a, b) => b.errors.length - a.errors.length);
}

export type FolderProblemKind = 'offline' | 'signed-out' | 'disk-full' | 'folder-missing' | 'watch-limit' | 'server-error' | 'slow-down' | 'failed';

export interface FolderProblem {
  kind: FolderProblemKind;
  /** "Syncing stopped: the server is having problems." */
  sentence: string;
  fix: string;
  /** The engine's message, scrubbed. */
  details: string;
}

function host(server: string): string {
  return /^[a-z]+:\/\/([^/]+)/i.exec(server)?.[1] ?? server;
}

/**
 * A problem of the whole folder, or null. Read from the state and the engine's message (the engine
 * words each failure of a whole cycle through `failureMeaning`, and the watch limit through
 * `watchLimitReport`), and from file errors that all say the disk is full.
 */
export function folderProblem(status: FolderStatus): FolderProblem | null {
  const message = status.message ?? '';
  const details = scrubDetails(message);
  const make = (kind: FolderProblemKind, sentence: string, fix: string): FolderProblem => ({ kind, sentence, fix, details });
  switch (status.state) {
    case 'offline':
      return make(
        'offline',
        `wsync can't reach ${host(status.server)}.`,
        'wsync keeps trying by itself. Check your network connection or proxy settings.',
      );
    case 'signed-out':
      return make('signed-out', 'The server no longer accepts the API key for this folder.', 'Enter a valid API key to sync again.');
    default:
      break;
  }
  if (/live change detection is off/i.test(message)) {
    return make(
      'watch-limit',
      'wsync cannot watch every file here, so it looks for changes every few minutes instead.',
      /To fix: (.*)$/.exec(message)?.[1] ?? 'Raise the system limit on watched files, then restart wsync.',
    );
  }
  if (status.errors.some((e) => causeOf(e) === 'disk-full') || /\bENOSPC\b|no space left/i.test(message)) {
    return make('disk-full', 'The disk is full: wsync cannot save files here.', 'Free up space on this computer; wsync goes on by itself.');
  }
  if (status.state !== 'error' || status.errors.length > 0) return null;
  if (/\bENOENT\b|folder is missing|no such file or directory/i.test(message)) {
    return make(
      'folder-missing',
      'The folder is missing. It may have been moved, deleted, or be on a disk that is not connected.',
      'Reconnect the disk, or move the folder back, then choose Sync now.',
    );
  }
  if (/slow down/i.test(message))
    return make('slow-down', 'The server asked wsync to slow down.', 'Nothing to do: wsync goes on by itself in a moment.');
  if (/HTTP 5\d\d|server error/i.test(message)) {
    return make(
      'server-error',
      `Syncing stopped: ${host(status.server)} is having problems.`,
      'wsync tries again by itself. If this lasts, tell your workspace administrator.',
    );
  }
  return make(
    'failed',
    'Syncing stopped on an unexpected error.',
    'Choose Sync now to try again. If it keeps happening, create a debug archive for your administrator.',
  );
}
