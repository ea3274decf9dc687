/**
 * The names on the wire between the preload and the main process. Kept free of zod so that the
 * sandboxed preload bundle stays small: the schemas for each name live in `ipc.ts`.
 */
export const IPC_COMMANDS = [
  'getStatus',
  'getSettings',
  'addFolder',
  'removeFolder',
  'replaceApiKey',
  'updatePreferences',
  'testConnection',
  'pickFolder',
  'pause',
  'resume',
  'syncNow',
  'confirmDeletions',
  'restoreDeletions',
  'retry',
  'resolveConflict',
  'openFile',
  'showInFolder',
  'openFolder',
  // The desktop experience (issue 18): onboarding, recovery, support, the popover.
  'browseRemote',
  'previewSync',
  'suggestLocalFolder',
  'getTrash',
  'restoreFromTrash',
  'emptyTrash',
  'showTrashItem',
  'keepBoth',
  'conflictVersions',
  'retryAll',
  'copyText',
  'openLog',
  'createDebugArchive',
  'getIgnoreRules',
  'setIgnoreRules',
  'moveFolder',
  'checkForUpdates',
  'pauseAll',
  'resumeAll',
  'showWindow',
] as const;
export type IpcCommand = (typeof IPC_COMMANDS)[number];

/** Main → renderer pushes. */
export const IPC_EVENTS = ['status', 'navigate'] as const;
export type IpcEvent = (typeof IPC_EVENTS)[number];

export const commandChannel = (command: IpcCommand): string => `wsync:${command}`;
export const eventChannel = (event: IpcEvent): string => `wsync:event:${event}`;

export const VIEWS = ['overview', 'activity', 'conflicts', 'errors', 'trash', 'settings'] as const;
export type View = (typeof VIEWS)[number];

/**
 * Every command answers with this envelope rather than a thrown error: Electron rewrites the
 * message of an error thrown across `invoke`, and the renderer shows the message to the user.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { kind: string; message: string } };
