/**
 * The in-process interface of the Files API emulator: what tests, benchmarks and the demo use.
 * The HTTP surface is `../shared/api/files-api.md`; this file is the Node-side handle.
 */
import type { EtagStyle } from './etags.js';

export interface ApiKeyConfig {
  key: string;
  scopes: string[];
  /** Workspaces this key may access; '*' for all. */
  workspaces: string[] | '*';
}

export type StorageConfig =
  | { kind: 'disk' }
  | {
      kind: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle?: boolean;
    };

export interface EmulatorOptions {
  /** Blobs and the metadata database live here; reused across restarts. */
  dataDir: string;
  host?: string; // default 127.0.0.1
  port?: number; // default 0 (any free port)
  keys?: ApiKeyConfig[]; // default: DEFAULT_KEYS
  workspaces?: string[]; // default: ['ws_demo']
  maxUploadBytes?: number; // default 500_000_000
  presignTtlSeconds?: number; // default 3600
  storage?: StorageConfig; // default disk
  /**
   * How etags are made (disk storage only; an S3 server makes its own): plain MD5 (default),
   * S3-multipart style above a part size, or SSE-KMS style (opaque). See etags.ts.
   */
  etags?: EtagStyle;
  /** Source of randomness for failureRate (default Math.random); tests pass a seeded one. */
  random?: () => number;
  /** Where unexpected internal errors are reported (default: nowhere). */
  log?: (message: string) => void;
}

export type RequestKind = 'list' | 'upload' | 'download-url' | 'delete' | 'upload-url' | 'upload-confirm' | 'storage-get' | 'storage-put' | 'other';

/**
 * With S3 storage, clients move bytes to and from the S3 server directly, so the knobs that act
 * on the emulator's own storage routes do nothing there: resetDownloadAfterBytes,
 * corruptDownloads, resetUploadAfterBytes for presigned PUTs (multipart uploads still get cut),
 * and latencyMs for storage requests. Storage requests are then not recorded either.
 */
export interface FaultConfig {
  /** Probability (0..1) that an API call (not a storage URL) fails with one of failureStatuses. */
  failureRate: number;
  failureStatuses: number[]; // e.g. [500, 503, 429]
  retryAfterSeconds: number; // sent with 429
  /** Added to every request before it is answered. */
  latencyMs: number;
  /** Cut the connection after this many body bytes of a storage GET (download); null = off. */
  resetDownloadAfterBytes: number | null;
  /** Cut the connection after this many body bytes of an upload (multipart or storage PUT); null = off. */
  resetUploadAfterBytes: number | null;
  /** How many more requests the reset faults above apply to (null = all). */
  resetCount: number | null;
  /** Presigned URLs are issued already expired. */
  expiredUrls: boolean;
  /** The list endpoint ignores `cursor` and returns the first page with next_cursor null. */
  ignoreCursor: boolean;
  /** Serve these bytes instead of the real ones on storage GET (for corruption tests); null = off. */
  corruptDownloads: boolean;
  /** Fail exactly the n-th API call from now (1-based) with failNthStatus; null = off. */
  failNth: number | null;
  failNthStatus: number;
}

export interface RequestRecord {
  kind: RequestKind;
  method: string;
  /** Path without query string (never a signature). */
  path: string;
  status: number;
  at: number; // Date.now() when the request arrived
}

export interface StoredFile {
  workspace: string;
  key: string;
  path: string; // relative path: folder + name
  size: number;
  etag: string; // bare MD5 hex, or what `EmulatorOptions.etags` makes of it
  lastModified: string;
}

export interface Emulator {
  readonly url: string; // e.g. http://127.0.0.1:43123
  readonly port: number;
  /** Mutable: tests set knobs directly, e.g. emu.faults.failureRate = 0.2. */
  faults: FaultConfig;
  resetFaults(): void;
  /** Requests counted by kind since start or the last resetCounters(). */
  counters(): Record<RequestKind, number>;
  resetCounters(): void;
  /** Every request since the last resetCounters(), oldest first. */
  requests(): RequestRecord[];
  /** Called for every request as it arrives (model tests change files "during" a cycle). */
  onRequest: ((record: Omit<RequestRecord, 'status'>, index: number) => void | Promise<void>) | null;
  /**
   * Called synchronously once a request's handler has finished (its effect applied, its answer
   * sent but not yet read by an in-process client): model tests crash the client there.
   */
  onHandled: ((record: Omit<RequestRecord, 'status'>, index: number) => void) | null;
  /** Direct access for tests and seeding, bypassing HTTP (no faults, not counted). */
  admin: {
    put(workspace: string, path: string, bytes: Buffer | string): Promise<StoredFile>;
    remove(workspace: string, path: string): Promise<boolean>;
    list(workspace: string): StoredFile[];
    read(workspace: string, path: string): Promise<Buffer | null>;
  };
  close(): Promise<void>;
}

export const DEFAULT_KEYS: ApiKeyConfig[] = [{ key: 'wsync-demo-key', scopes: ['files'], workspaces: ['ws_demo'] }];
