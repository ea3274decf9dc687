/**
 * The preload API: one schema per command (validated by the main process on every message) and the
 * typed surface the renderer sees as `window.wsync`. Pure data and schemas: no Node, no DOM.
 */
import * as z from 'zod';
import { checkServerUrl } from './server-url.js';
import { ErrorKindSchema, FolderStatusSchema, type FolderStatus } from './status.js';
import { VIEWS, type IpcCommand, type View } from './ipc-channels.js';
import { ConflictVersionsSchema, EmptiedSchema, RemoteFolderSchema, RestoredSchema, SyncPreviewSchema, TrashListingSchema } from './recovery.js';

export const FolderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Unknown folder id');

/** A path relative to the sync folder, as the status model reports it. */
export const RelativePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !/[\0]/.test(p), 'Path contains a NUL character');

/**
 * A server address by the one rule the CLI applies too (server-url.ts): https, or plain http only
 * to this computer, since every request carries the API key; no user:password@, query or fragment.
 */
export const ServerUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .superRefine((raw, ctx) => {
    const checked = checkServerUrl(raw);
    if (checked.ok) return;
    const sentence = `${checked.message.charAt(0).toUpperCase()}${checked.message.slice(1)}`;
    const message = checked.problem === 'insecure-http' ? `${sentence} (the app uses plain http:// only for a server on this computer)` : sentence;
    ctx.addIssue({ code: 'custom', message });
  });

export const WorkspaceSchema = z.string().trim().min(1, 'Enter a workspace id').max(200);
export const ApiKeySchema = z.string().trim().min(1, 'Enter an API key').max(4096);

/** '' (the whole workspace) or a folder ending in '/', without a leading '/', '..' or empty segments. */
export const PrefixSchema = z
  .string()
  .trim()
  .max(1024)
  .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`))
  .refine(
    (p) =>
      p === '' ||
      (!p.startsWith('/') &&
        !p.includes('\\') &&
        p
          .slice(0, -1)
          .split('/')
          .every((s) => s !== '' && s !== '.' && s !== '..')),
    'A prefix is a folder inside the workspace, such as "reports/2024/"',
  );

/** An update feed: https only (the installers it names run with the user's rights). */
export const UpdateFeedUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'An update address starts with https://');

export const BandwidthSchema = z.object({
  /** Bytes per second; 0 = unlimited. */
  uploadBps: z.number().int().min(0).max(10_000_000_000),
  downloadBps: z.number().int().min(0).max(10_000_000_000),
});
export type Bandwidth = z.infer<typeof BandwidthSchema>;

export const NewFolderPairSchema = z.object({
  server: ServerUrlSchema,
  apiKey: ApiKeySchema,
  workspace: WorkspaceSchema,
  /** Absolute local folder; the main process checks it further. */
  dir: z.string().min(1, 'Choose a local folder').max(4096),
  prefix: PrefixSchema,
});

export const PublicFolderSchema = z.object({
  id: FolderIdSchema,
  server: z.string(),
  workspace: z.string(),
  dir: z.string(),
  prefix: z.string(),
});
export type PublicFolder = z.infer<typeof PublicFolderSchema>;

export const KeyStorageSchema = z.object({
  /** Whether keys can be stored at all (encrypted). */
  available: z.boolean(),
  backend: z.string(),
  /** False where the OS offers no keyring and Electron falls back to a fixed password. */
  protectedByKeyring: z.boolean(),
  warning: z.string().optional(),
});
export type KeyStorage = z.infer<typeof KeyStorageSchema>;

export const NOTIFICATION_KINDS = ['held-deletions', 'conflict', 'signed-out', 'failing-files', 'folder-problem', 'first-sync-complete'] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;
/** Per kind: shown or not; a kind not listed is shown. */
export const NotificationPreferencesSchema = z.partialRecord(NotificationKindSchema, z.boolean());
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

/** How wsync reaches the server: the system's proxy settings (the default), none, or one typed in. */
export const ProxySettingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('system') }),
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('manual'),
    url: z
      .string()
      .trim()
      .max(2048)
      .regex(
        /^(https?|socks[45]?):\/\/[A-Za-z0-9.\-[\]:_]+\/?$/,
        'Enter a proxy address such as http://proxy.example.org:3128 (without a user name or password)',
      ),
  }),
]);
export type ProxySetting = z.infer<typeof ProxySettingSchema>;

export const TrashRetentionSchema = z.number().int().min(1).max(3650);
export const DEFAULT_TRASH_RETENTION_DAYS = 30;

export const PAUSE_LENGTHS = ['one-hour', 'tomorrow', 'until-resumed'] as const;

/** What the renderer may know of the settings: never the API key, encrypted or not. */
export const PublicSettingsSchema = z.object({
  folders: z.array(PublicFolderSchema),
  bandwidth: BandwidthSchema,
  /** What the OS will do at the next login (not only what was last chosen here). */
  startAtLogin: z.boolean(),
  /** Where updates are looked for; absent: no update checks. */
  updateFeedUrl: z.string().optional(),
  keyStorage: KeyStorageSchema,
  /** Set when the settings file could not be read and was set aside. */
  settingsWarning: z.string().optional(),
  notifications: NotificationPreferencesSchema,
  /** Files in the wsync trash are deleted for good after this many days. */
  trashRetentionDays: TrashRetentionSchema,
  proxy: ProxySettingSchema,
  /** Set while every folder is paused for a while ("Pause for 1 hour"). */
  pausedUntil: z.string().nullable(),
  about: z.object({ version: z.string(), platform: z.string() }),
});
export type PublicSettings = z.infer<typeof PublicSettingsSchema>;

export const ConnectionTestSchema = z.object({
  server: ServerUrlSchema,
  workspace: WorkspaceSchema,
  prefix: PrefixSchema,
  apiKey: ApiKeySchema,
});

export const ConnectionResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fileCount: z.number().int().nonnegative(), complete: z.boolean() }),
  z.object({ ok: z.literal(false), kind: ErrorKindSchema, message: z.string() }),
]);
export type ConnectionResult = z.infer<typeof ConnectionResultSchema>;

export const BrowseResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), folders: z.array(RemoteFolderSchema), complete: z.boolean() }),
  z.object({ ok: z.literal(false), kind: ErrorKindSchema, message: z.string() }),
]);
export type BrowseResult = z.infer<typeof BrowseResultSchema>;

export const UpdateCheckSchema = z.object({
  state: z.enum(['not-configured', 'up-to-date', 'available', 'failed']),
  version: z.string().optional(),
  message: z.string().optional(),
});
export type UpdateCheck = z.infer<typeof UpdateCheckSchema>;

const Folder = z.object({ folderId: FolderIdSchema });
const FileInFolder = z.object({ folderId: FolderIdSchema, path: RelativePathSchema });
const Nothing = z.undefined();
const Done = z.void();

/** Input and output schema of every command. */
export const ipcContract = {
  getStatus: { input: Nothing, output: z.array(FolderStatusSchema) },
  getSettings: { input: Nothing, output: PublicSettingsSchema },
  addFolder: { input: NewFolderPairSchema, output: PublicFolderSchema },
  removeFolder: { input: Folder, output: Done },
  /** After "signed out": the folder restarts with the new key. */
  replaceApiKey: { input: z.object({ folderId: FolderIdSchema, apiKey: ApiKeySchema }), output: Done },
  updatePreferences: {
    input: z.object({
      bandwidth: BandwidthSchema.optional(),
      startAtLogin: z.boolean().optional(),
      /** A feed URL, or null to stop checking for updates. */
      updateFeedUrl: UpdateFeedUrlSchema.nullable().optional(),
      notifications: NotificationPreferencesSchema.optional(),
      trashRetentionDays: TrashRetentionSchema.optional(),
      proxy: ProxySettingSchema.optional(),
    }),
    output: PublicSettingsSchema,
  },
  testConnection: { input: ConnectionTestSchema, output: ConnectionResultSchema },
  pickFolder: { input: Nothing, output: z.string().nullable() },
  pause: { input: Folder, output: Done },
  resume: { input: Folder, output: Done },
  syncNow: { input: Folder, output: Done },
  confirmDeletions: { input: Folder, output: Done },
  restoreDeletions: { input: Folder, output: Done },
  retry: { input: FileInFolder, output: Done },
  resolveConflict: {
    input: z.object({ folderId: FolderIdSchema, path: RelativePathSchema, keep: z.enum(['local', 'remote']) }),
    output: Done,
  },
  /** Opens a file of the folder (either version of a conflict) with its default application. */
  openFile: { input: FileInFolder, output: Done },
  showInFolder: { input: FileInFolder, output: Done },
  openFolder: { input: Folder, output: Done },
  /** Onboarding: lists the workspace's folders with the key typed in (a connection test too). */
  browseRemote: { input: ConnectionTestSchema.omit({ prefix: true }), output: BrowseResultSchema },
  /** Onboarding: what the first sync of this pair will do. */
  previewSync: { input: ConnectionTestSchema.extend({ dir: z.string().min(1).max(4096) }), output: SyncPreviewSchema },
  /** Onboarding: the local folder offered by default, e.g. ~/wsync/reports. */
  suggestLocalFolder: { input: z.object({ workspace: WorkspaceSchema, prefix: PrefixSchema }), output: z.string() },
  getTrash: { input: Folder, output: TrashListingSchema },
  restoreFromTrash: {
    input: z.object({ folderId: FolderIdSchema, ids: z.array(z.string().min(1).max(8192)).min(1).max(10_000) }),
    output: z.array(RestoredSchema),
  },
  /** `olderThanDays: null` empties the whole trash. */
  emptyTrash: { input: z.object({ folderId: FolderIdSchema, olderThanDays: z.number().int().min(0).max(3650).nullable() }), output: EmptiedSchema },
  showTrashItem: { input: z.object({ folderId: FolderIdSchema, id: z.string().min(1).max(8192) }), output: Done },
  /** Ends a conflict keeping both files. */
  keepBoth: { input: FileInFolder, output: Done },
  conflictVersions: { input: FileInFolder, output: ConflictVersionsSchema },
  retryAll: { input: Folder, output: Done },
  copyText: { input: z.object({ text: z.string().max(200_000) }), output: Done },
  openLog: { input: Folder, output: Done },
  /** Asks where to save, writes the archive (logs and status, never keys or presigned URLs); the path or null. */
  createDebugArchive: { input: Nothing, output: z.string().nullable() },
  getIgnoreRules: { input: Folder, output: z.object({ text: z.string() }) },
  setIgnoreRules: { input: z.object({ folderId: FolderIdSchema, text: z.string().max(200_000) }), output: Done },
  /** Asks where to, then moves the folder there (keeping its name); null when the user cancelled. */
  moveFolder: { input: Folder, output: PublicFolderSchema.nullable() },
  checkForUpdates: { input: Nothing, output: UpdateCheckSchema },
  pauseAll: { input: z.object({ length: z.enum(PAUSE_LENGTHS) }), output: Done },
  resumeAll: { input: Nothing, output: Done },
  /** From the tray popover: opens the main window at a view. */
  showWindow: { input: z.object({ view: z.enum(VIEWS) }), output: Done },
} as const satisfies Record<IpcCommand, { input: z.ZodType; output: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type CommandInput<C extends IpcCommand> = z.input<IpcContract[C]['input']>;
export type CommandOutput<C extends IpcCommand> = z.output<IpcContract[C]['output']>;

type CommandMethod<C extends IpcCommand> = [CommandInput<C>] extends [undefined]
  ? () => Promise<CommandOutput<C>>
  : (input: CommandInput<C>) => Promise<CommandOutput<C>>;

/** The API the preload exposes as `window.wsync`. */
export type WsyncApi = { [C in IpcCommand]: CommandMethod<C> } & {
  /** Called with every folder's status on each change; returns an unsubscribe function. */
  onStatus(listener: (statuses: FolderStatus[]) => void): () => void;
  /** The tray asks the window to show a view (e.g. "Preferences..."). */
  onNavigate(listener: (view: View) => void): () => void;
};
