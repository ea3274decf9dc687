/**
 * The messages between the main process and the engine process (Electron's utilityProcess), one
 * zod schema each, validated on arrival at both ends. Pure schemas and types: no Node, no DOM.
 *
 * - Calls: `{type: 'call', id, method, args}` (engine-wide) or with `folderId` (that folder's
 *   controller); the engine answers `{type: 'result', id, ok, value | error}`. `args` are the
 *   method's positional arguments, so adding a controller method is one entry in
 *   `controllerCalls` (and the method on FolderController): both ends and the typed client are
 *   derived from the table.
 * - Secrets: API keys never travel in calls. The main process posts `{ref, apiKey}` on a private
 *   MessagePort it hands the engine at start; a call names the key by `ref` (a folder's id).
 * - Status: the engine sends `{type: 'status', update}` at most 10 times a second, as patches
 *   (status-patch.ts) against what it sent before.
 * - Proxies: the engine asks `{type: 'resolve-proxy', id, url}`; main answers with Electron's
 *   `session.resolveProxy` result, `{type: 'proxy', id, proxy}` ("PROXY host:port; DIRECT" form).
 */
import * as z from 'zod';
import {
  BandwidthSchema,
  BrowseResultSchema,
  ConnectionResultSchema,
  FolderIdSchema,
  RelativePathSchema,
  ServerUrlSchema,
  type BrowseResult,
} from './ipc.js';
import { ConflictVersionsSchema, EmptiedSchema, RestoredSchema, SyncPreviewSchema, TrashListingSchema, type SyncPreview } from './recovery.js';
import { ActivitySchema, FolderStatusSchema, type FolderStatus, type SyncState } from './status.js';
import type { StatusPatch, StatusUpdate } from './status-patch.js';

/** A folder pair as the engine runs it; its key arrives on the secret port under `ref: id`. */
export const FolderSpecSchema = z.object({
  id: FolderIdSchema,
  server: z.string().min(1),
  workspace: z.string().min(1),
  dir: z.string().min(1),
  prefix: z.string(),
  bandwidth: BandwidthSchema,
});
export type FolderSpec = z.infer<typeof FolderSpecSchema>;

const Done = z.void();
const KeepSchema = z.enum(['local', 'remote']);
/** Why a folder is woken (the engine's sync/background/wake-policy.ts says what each does). */
export const WakeReasonSchema = z.enum(['resume', 'network', 'shown', 'reload']);
export type WakeReason = z.infer<typeof WakeReasonSchema>;

interface CallSchema {
  args: z.ZodTuple;
  result: z.ZodType;
}

/** Methods of one folder's controller (FolderController), called with `folderId`. */
export const controllerCalls = {
  pause: { args: z.tuple([]), result: Done },
  resume: { args: z.tuple([]), result: Done },
  syncNow: { args: z.tuple([]), result: Done },
  confirmDeletions: { args: z.tuple([]), result: Done },
  restoreDeletions: { args: z.tuple([]), result: Done },
  retry: { args: z.tuple([RelativePathSchema]), result: Done },
  retryAll: { args: z.tuple([]), result: Done },
  resolveConflict: { args: z.tuple([RelativePathSchema, KeepSchema]), result: Done },
  setBandwidth: { args: z.tuple([BandwidthSchema]), result: Done },
  // The desktop screens (issue 18): the wsync trash and conflict choices, one at a time with the cycles.
  listTrash: { args: z.tuple([]), result: TrashListingSchema },
  restoreFromTrash: { args: z.tuple([z.array(z.string().min(1).max(8192)).max(10_000)]), result: z.array(RestoredSchema) },
  /** Deletes for good what was trashed before this ISO time (everything when null). */
  emptyTrash: { args: z.tuple([z.iso.datetime().nullable()]), result: EmptiedSchema },
  keepBoth: { args: z.tuple([RelativePathSchema]), result: Done },
  conflictVersions: { args: z.tuple([RelativePathSchema]), result: ConflictVersionsSchema },
  wake: { args: z.tuple([WakeReasonSchema]), result: Done },
} as const satisfies Record<string, CallSchema>;

/** What "Test connection" sends: the key is on the secret port under `keyRef`. */
export const ConnectionProbeSchema = z.object({
  server: ServerUrlSchema,
  workspace: z.string().min(1),
  prefix: z.string(),
  keyRef: z.string().min(1),
});

export const SelfCheckSchema = z.object({
  /** SQLite's version, read through better-sqlite3 from an in-memory database. */
  sqlite: z.string(),
  node: z.string(),
  /** Where certificates come from: the bundled roots, the OS store, NODE_EXTRA_CA_CERTS. */
  trust: z.array(z.string()),
});
export type SelfCheck = z.infer<typeof SelfCheckSchema>;

const AbsoluteDir = z.string().min(1).max(4096);

export const FolderFilesSchema = z.object({ log: z.string(), logs: z.string(), trash: z.string(), ignoreRules: z.string() });
export type FolderFiles = z.infer<typeof FolderFilesSchema>;

/** What a debug archive holds besides the logs and statuses the engine has itself. */
export const DebugArchiveRequestSchema = z.object({
  destination: AbsoluteDir,
  about: z.record(z.string(), z.string()),
  /** The settings as the renderer may see them: no key, not even encrypted. */
  settings: z.unknown(),
  folders: z.array(z.object({ id: FolderIdSchema, dir: AbsoluteDir })),
});

/**
 * The desktop screens' engine-wide tools (issue 18), about a folder by its directory, running or
 * not: main imports nothing from the engine, so the folder layout and these file operations stay there.
 */
export const toolCalls = {
  folderFiles: { args: z.tuple([AbsoluteDir]), result: FolderFilesSchema },
  /** The file of a trash item id (checked to be inside the folder's trash). */
  trashItemFile: { args: z.tuple([AbsoluteDir, z.string().min(1).max(8192)]), result: z.string() },
  readIgnoreRules: { args: z.tuple([AbsoluteDir]), result: z.string() },
  writeIgnoreRules: { args: z.tuple([AbsoluteDir, z.string().max(200_000)]), result: Done },
  /** Moves a stopped folder with its state; a copy checked file by file across disks. */
  relocateFolder: { args: z.tuple([AbsoluteDir, AbsoluteDir]), result: Done },
  /** Writes the archive (logs scrubbed of every key the engine holds); answers its path. */
  createDebugArchive: { args: z.tuple([DebugArchiveRequestSchema]), result: z.string() },
} as const satisfies Record<string, CallSchema>;

/** Methods of the engine as a whole. */
export const engineCalls = {
  ...toolCalls,
  /** Onboarding: the workspace's folders, listed with the key on the secret port under `keyRef`. */
  browseRemote: { args: z.tuple([ConnectionProbeSchema.omit({ prefix: true })]), result: BrowseResultSchema },
  /** Onboarding: what the first sync of the pair will do. */
  previewSync: { args: z.tuple([ConnectionProbeSchema.extend({ dir: AbsoluteDir })]), result: SyncPreviewSchema },
  /** Starts (or restarts) a folder pair; its key must have been posted under ref = spec.id. */
  startFolder: { args: z.tuple([FolderSpecSchema]), result: Done },
  stopFolder: { args: z.tuple([FolderIdSchema]), result: Done },
  /** Stops every folder safely (transfers finished or abandoned, databases closed). */
  stopAll: { args: z.tuple([]), result: Done },
  testConnection: { args: z.tuple([ConnectionProbeSchema]), result: ConnectionResultSchema },
  selfCheck: { args: z.tuple([]), result: SelfCheckSchema },
} as const satisfies Record<string, CallSchema>;

export type ToolCalls = typeof toolCalls;
export type ControllerCalls = typeof controllerCalls;
export type EngineCalls = typeof engineCalls;
export type ControllerMethod = keyof ControllerCalls;
export type EngineMethod = keyof EngineCalls;

/** A table's methods as a client calls them: every call answers with a promise. */
export type Remote<T extends Record<string, CallSchema>> = {
  [M in keyof T]: (...args: z.input<T[M]['args']>) => Promise<z.output<T[M]['result']>>;
};
/** What an implementation of a table must offer (synchronous answers are fine). */
export type Served<T extends Record<string, CallSchema>> = {
  [M in keyof T]: (...args: z.output<T[M]['args']>) => z.input<T[M]['result']> | Promise<z.input<T[M]['result']>>;
};
export type ControllerApi = Remote<ControllerCalls>;

export const CONTROLLER_METHODS = Object.keys(controllerCalls) as ControllerMethod[];
export const ENGINE_METHODS = Object.keys(engineCalls) as EngineMethod[];
export const TOOL_METHODS = Object.keys(toolCalls) as (keyof ToolCalls)[];

export const SecretMessageSchema = z.object({ ref: z.string().min(1), apiKey: z.string().min(1) });
export type SecretMessage = z.infer<typeof SecretMessageSchema>;

const CallId = z.number().int().nonnegative();

export const MainToEngineSchema = z.discriminatedUnion('type', [
  /** Carries the secret port (the message's one transferred MessagePort). */
  z.object({ type: z.literal('secret-port') }),
  z.object({ type: z.literal('call'), id: CallId, method: z.string(), folderId: FolderIdSchema.optional(), args: z.array(z.unknown()) }),
  z.object({ type: z.literal('proxy'), id: CallId, proxy: z.string().max(4096) }),
]);
export type MainToEngine = z.infer<typeof MainToEngineSchema>;

export const ErrorEnvelopeSchema = z.object({ kind: z.string(), message: z.string() });

const ActivitiesSchema = z.array(ActivitySchema);
export const StatusPatchSchema: z.ZodType<StatusPatch> = z.object({
  set: FolderStatusSchema.omit({ recent: true, message: true }).partial().optional(),
  message: z.string().nullable().optional(),
  recent: z
    .union([z.object({ replace: ActivitiesSchema }), z.object({ prepend: ActivitiesSchema, length: z.number().int().nonnegative() })])
    .optional(),
});
export const StatusUpdateSchema: z.ZodType<StatusUpdate> = z.union([
  z.object({ full: z.literal(true), statuses: z.array(FolderStatusSchema) }),
  z.object({ full: z.literal(false), order: z.array(z.string()), patches: z.record(z.string(), StatusPatchSchema) }),
]);

// A plain union: two members share the `result` tag (answers and failures).
export const EngineToMainSchema = z.union([
  z.object({ type: z.literal('ready'), pid: z.number().int(), node: z.string() }),
  z.object({ type: z.literal('result'), id: CallId, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: CallId, ok: z.literal(false), error: ErrorEnvelopeSchema }),
  z.object({ type: z.literal('status'), update: StatusUpdateSchema }),
  z.object({ type: z.literal('resolve-proxy'), id: CallId, url: z.string().max(8192) }),
]);
export type EngineToMain = z.infer<typeof EngineToMainSchema>;

export class ProtocolError extends Error {
  readonly kind = 'invalid-input';
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid'}`;
}

function tableFor(folderId: string | undefined): Record<string, CallSchema> {
  return folderId === undefined ? engineCalls : controllerCalls;
}

/** The call's method and parsed arguments; throws ProtocolError for an unknown method or bad arguments. */
export function parseCall(call: Extract<MainToEngine, { type: 'call' }>): { method: string; args: unknown[] } {
  const table = tableFor(call.folderId);
  if (!Object.hasOwn(table, call.method))
    throw new ProtocolError(`unknown ${call.folderId === undefined ? 'engine' : 'controller'} method ${call.method}`);
  const parsed = (table[call.method] as CallSchema).args.safeParse(call.args);
  if (!parsed.success) throw new ProtocolError(`${call.method}: ${firstIssue(parsed.error)}`);
  return { method: call.method, args: parsed.data as unknown[] };
}

/** A result checked against its method's schema (main's end of the same check). */
export function parseResult(method: string, folderId: string | undefined, value: unknown): unknown {
  const schema = tableFor(folderId)[method]?.result;
  if (!schema) throw new ProtocolError(`unknown method ${method}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProtocolError(`the engine answered ${method} with ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** What the main process runs folders through: the engine process's client, or an in-process host in tests. */
export interface FolderEngine {
  /** Every folder's status, in the order folders were started. */
  statuses(): FolderStatus[];
  /** Called after status changes (possibly many at once); read `statuses()` then. */
  subscribe(listener: () => void): () => void;
  /** The folder's controller; throws a not-found error for a folder that is not running. */
  controller(folderId: string): ControllerApi;
  running(): ControllerApi[];
  start(folder: FolderSpec & { apiKey: string }): Promise<void>;
  /** A folder that cannot run (its key cannot be read) still shows, with the reason. */
  showUnavailable(folder: Omit<FolderSpec, 'bandwidth'>, state: SyncState, message: string): void;
  stop(folderId: string): Promise<void>;
  stopAll(): Promise<void>;
  setBandwidth(limits: z.infer<typeof BandwidthSchema>): Promise<void>;
  testConnection(connection: { server: string; workspace: string; prefix: string; apiKey: string }): Promise<z.infer<typeof ConnectionResultSchema>>;
  browseRemote(connection: { server: string; workspace: string; apiKey: string }): Promise<BrowseResult>;
  previewSync(connection: { server: string; workspace: string; prefix: string; apiKey: string; dir: string }): Promise<SyncPreview>;
  /** The desktop screens' tools about a folder by its directory (toolCalls). */
  tools(): Remote<ToolCalls>;
}
