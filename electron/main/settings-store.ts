/**
 * Settings persisted as JSON in the user data folder, validated with zod when read. A file that
 * cannot be read is set aside (never silently overwritten) and the app starts from defaults.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import {
  BandwidthSchema,
  DEFAULT_TRASH_RETENTION_DAYS,
  FolderIdSchema,
  NotificationPreferencesSchema,
  ProxySettingSchema,
  TrashRetentionSchema,
  UpdateFeedUrlSchema,
} from '../shared/ipc.js';

export const StoredFolderSchema = z.object({
  id: FolderIdSchema,
  server: z.string(),
  workspace: z.string(),
  dir: z.string(),
  prefix: z.string(),
  /** safeStorage ciphertext, base64. There is no field for a plain key. */
  apiKeyEncrypted: z.string(),
});
export type StoredFolder = z.infer<typeof StoredFolderSchema>;

/** A stored pair without its ciphertext: what the engine runs and the window shows. */
export function withoutKey(folder: StoredFolder): Omit<StoredFolder, 'apiKeyEncrypted'> {
  return { id: folder.id, server: folder.server, workspace: folder.workspace, dir: folder.dir, prefix: folder.prefix };
}

/** Where and how big the main window was, to open it there again. */
export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const SettingsSchema = z.object({
  version: z.literal(1),
  folders: z.array(StoredFolderSchema),
  bandwidth: BandwidthSchema,
  startAtLogin: z.boolean(),
  /** Where updates are looked for (a generic electron-updater feed); none: no update checks. */
  updateFeedUrl: UpdateFeedUrlSchema.optional(),
  // Added for the desktop experience (issue 18); files written before read as the defaults.
  notifications: NotificationPreferencesSchema.default({}),
  trashRetentionDays: TrashRetentionSchema.default(DEFAULT_TRASH_RETENTION_DAYS),
  proxy: ProxySettingSchema.default({ mode: 'system' }),
  /** "Pause for 1 hour" / "until tomorrow": every folder stays paused until then, across restarts. */
  pausedUntil: z.string().nullable().default(null),
  window: WindowStateSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  folders: [],
  bandwidth: { uploadBps: 0, downloadBps: 0 },
  startAtLogin: false,
  notifications: {},
  trashRetentionDays: DEFAULT_TRASH_RETENTION_DAYS,
  proxy: { mode: 'system' },
  pausedUntil: null,
};

export interface SettingsStore {
  readonly file: string;
  /** Set when the file on disk could not be used. */
  readonly warning: string | undefined;
  get(): Settings;
  update(change: (current: Settings) => Settings): Promise<Settings>;
}

export function newFolderId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 16);
}

export async function openSettingsStore(userDataDir: string): Promise<SettingsStore> {
  const file = join(userDataDir, 'settings.json');
  let current = DEFAULT_SETTINGS;
  let warning: string | undefined;
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = SettingsSchema.safeParse(parsed);
    if (result.success) {
      current = result.data;
    } else {
      const aside = `${file}.invalid-${Date.now()}`;
      await rename(file, aside);
      warning = `The settings file could not be read and was kept as ${aside}; wsync started with default settings.`;
    }
  }

  let writing = Promise.resolve();
  return {
    file,
    get warning() {
      return warning;
    },
    get: () => current,
    async update(change) {
      const next = SettingsSchema.parse(change(current));
      current = next;
      // Writes are serialised so that an older state never lands after a newer one.
      const write = writing.then(async () => {
        await mkdir(userDataDir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
        await rename(temp, file);
      });
      writing = write.catch(() => undefined);
      await write;
      return next;
    },
  };
}
