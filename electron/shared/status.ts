/**
 * The status model: one serialisable source of truth that the engine publishes and the tray,
 * the renderer and the CLI display. Pure data and schemas: no Node, no DOM.
 */
import * as z from 'zod';

export const SyncStateSchema = z.enum(['idle', 'syncing', 'paused', 'offline', 'error', 'signed-out', 'needs-confirmation']);
export type SyncState = z.infer<typeof SyncStateSchema>;

export const ErrorKindSchema = z.enum([
  'auth',
  'not-found',
  'rate-limited',
  'transient',
  'too-large',
  'invalid-response',
  'local-io',
  'conflict',
  'cancelled',
  'fatal',
]);

export const TransferSchema = z.object({
  id: z.string(),
  path: z.string(),
  direction: z.enum(['upload', 'download']),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
});
export type Transfer = z.infer<typeof TransferSchema>;

export const ActivityActionSchema = z.enum([
  'upload',
  'download',
  'delete-remote',
  'delete-local',
  'rename-local',
  'move-remote',
  'conflict',
  'record-synced',
]);
export type ActivityAction = z.infer<typeof ActivityActionSchema>;

export const ActivitySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  path: z.string(),
  action: ActivityActionSchema,
  /** Row of the decision table in sync-semantics.md that chose this action. */
  decision: z.number().int().min(1).max(14),
  detail: z.string().optional(),
  /** Bytes the operation moved (an upload's or download's size); absent for older records. */
  bytes: z.number().nonnegative().optional(),
});
export type Activity = z.infer<typeof ActivitySchema>;

export const ConflictSchema = z.object({
  path: z.string(),
  conflictCopy: z.string(),
  at: z.string(),
});
export type Conflict = z.infer<typeof ConflictSchema>;

export const FileErrorSchema = z.object({
  path: z.string(),
  kind: ErrorKindSchema,
  message: z.string(),
  at: z.string(),
  attempts: z.number().int().nonnegative(),
  /** When the file is tried again (ISO), while it is in back-off after failing cycles in a row. */
  nextAttemptAt: z.string().optional(),
});
export type FileError = z.infer<typeof FileErrorSchema>;

export const HeldDeletionsSchema = z.object({
  side: z.enum(['local', 'remote']),
  paths: z.array(z.string()),
  syncedCount: z.number().int().nonnegative(),
});
export type HeldDeletions = z.infer<typeof HeldDeletionsSchema>;

export const FolderStatusSchema = z.object({
  folderId: z.string(),
  dir: z.string(),
  server: z.string(),
  workspace: z.string(),
  prefix: z.string(),
  state: SyncStateSchema,
  /** Why the folder is in its state, in words a user understands ("Connection refused", ...). */
  message: z.string().optional(),
  pending: z.object({
    uploads: z.number().int().nonnegative(),
    downloads: z.number().int().nonnegative(),
    deletes: z.number().int().nonnegative(),
    bytes: z.number().nonnegative(),
  }),
  transfers: z.array(TransferSchema),
  lastSyncAt: z.string().nullable(),
  recent: z.array(ActivitySchema),
  conflicts: z.array(ConflictSchema),
  errors: z.array(FileErrorSchema),
  heldDeletions: z.array(HeldDeletionsSchema),
});
export type FolderStatus = z.infer<typeof FolderStatusSchema>;
