/**
 * The preload API: one schema per command (validated by the main process on every message) and the
 * typed surface the renderer sees as `window.wsync`. Pure data and schemas: no Node, no DOM.
 */
import { z } from 'zod';
import { checkServerUrl } from './server-url.js';
import { ErrorKindSchema, FolderStatusSchema, type FolderStatus } from './status.js';
import type { IpcCommand, View } from './ipc-channels.js';

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
    (p) => p === '' || (!p.startsWith('/') && !p.includes('\\') && p.slice(0, -1).split('/').every((s) => s !== '' && s !== '.' && s !== '..')),
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

/** What the renderer may know of the settings: never the API key, encrypted or not. */
export const PublicSettingsSchema = z.object({
  folders: z.array(PublicFolderSchema),
  bandwidth: BandwidthSchema,
  startAtLogin: z.boolean(),
  /** Where updates are looked for; absent: no update checks. */
  updateFeedUrl: z.string().optional(),
  keyStorage: KeyStorageSchema,
  /** Set when the settings file could not be read and was set aside. */
  settingsWarning: z.string().optional(),
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
