/**
 * What the recovery and onboarding screens show, as data the engine answers with: the wsync trash
 * of a folder, the two versions of a conflict, the remote folder tree and the preview of a first
 * sync. Pure data and schemas: no Node, no DOM.
 */
import * as z from 'zod';

/** Why a file is in the wsync trash. */
export const TrashOriginSchema = z.enum([
  /** Deleted in the workspace: wsync moved this computer's copy to the trash (decision row 5). */
  'deleted-in-workspace',
  /** The version you did not keep when you resolved a conflict. */
  'conflict-resolution',
]);
export type TrashOrigin = z.infer<typeof TrashOriginSchema>;

export const TrashEntrySchema = z.object({
  /** `<batch>/<path>`: stable while the file stays in the trash. */
  id: z.string(),
  /** Where it was in the folder. */
  path: z.string(),
  trashedAt: z.string(),
  size: z.number().nonnegative(),
  origin: TrashOriginSchema,
});
export type TrashEntry = z.infer<typeof TrashEntrySchema>;

export const TrashListingSchema = z.object({
  entries: z.array(TrashEntrySchema),
  /** Files and bytes in the whole trash (the list may be cut to the newest). */
  totalFiles: z.number().int().nonnegative(),
  totalBytes: z.number().nonnegative(),
  truncated: z.boolean(),
  /** The trash folder, for "Show in folder". */
  location: z.string(),
});
export type TrashListing = z.infer<typeof TrashListingSchema>;

export const RestoredSchema = z.object({
  id: z.string(),
  /** Where the file is now: its old path, or a "(restored)" name beside it when that was taken. */
  path: z.string(),
  renamed: z.boolean(),
});
export type Restored = z.infer<typeof RestoredSchema>;

export const EmptiedSchema = z.object({ files: z.number().int().nonnegative(), bytes: z.number().nonnegative() });
export type Emptied = z.infer<typeof EmptiedSchema>;

export const FileVersionSchema = z.object({
  path: z.string(),
  size: z.number().nonnegative().nullable(),
  /** ISO; null when the file is gone. */
  modifiedAt: z.string().nullable(),
});
export type FileVersion = z.infer<typeof FileVersionSchema>;

export const ConflictVersionsSchema = z.object({
  /** The workspace's version, kept at the original name. */
  workspace: FileVersionSchema,
  /** This computer's version, kept as the conflict copy. */
  yours: FileVersionSchema,
});
export type ConflictVersions = z.infer<typeof ConflictVersionsSchema>;

export const RemoteFolderSchema = z.object({
  /** '' for the whole workspace, else a prefix ending in '/'. */
  path: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});
export type RemoteFolder = z.infer<typeof RemoteFolderSchema>;

export const SidePreviewSchema = z.object({ files: z.number().int().nonnegative(), bytes: z.number().nonnegative() });

export const SyncPreviewSchema = z.object({
  /** What the workspace folder holds. */
  remote: SidePreviewSchema,
  /** What the local folder holds now (0 when it does not exist yet). */
  local: SidePreviewSchema.extend({ exists: z.boolean() }),
  download: SidePreviewSchema,
  upload: SidePreviewSchema,
  /** Paths on both sides: kept once when equal, both kept (a conflict copy) when they differ. */
  both: z.number().int().nonnegative(),
  /** Free space on the local disk, when known. */
  freeBytes: z.number().nonnegative().nullable(),
  /** The listing said the workspace may hold more than it returned. */
  incomplete: z.boolean(),
  /** The folder was synced before by wsync (it holds a `.wsync` state folder). */
  syncedBefore: z.boolean(),
});
export type SyncPreview = z.infer<typeof SyncPreviewSchema>;
