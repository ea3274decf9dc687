import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyRing } from './auth.js';
import type { EmulatorDeps } from './context.js';
import { defaultFaults, FaultInjector } from './faults.js';
import { relativePath } from './file-meta.js';
import { FileService } from './files.js';
import { MetadataStore, type FileRow } from './metadata.js';
import { UrlSigner } from './presign.js';
import { RequestRecorder } from './recorder.js';
import { createEmulatorServer } from './server.js';
import type { BlobStore } from './storage/blob-store.js';
import { DiskBlobStore } from './storage/disk.js';
import { S3BlobStore } from './storage/s3.js';
import {
  DEFAULT_KEYS,
  type Emulator,
  type EmulatorOptions,
  type FaultConfig,
  type RequestKind,
  type RequestRecord,
  type StoredFile,
} from './types.js';

export const DEFAULT_MAX_UPLOAD_BYTES = 500_000_000;
export const DEFAULT_PRESIGN_TTL_SECONDS = 3600;

function toStoredFile(row: FileRow): StoredFile {
  return {
    workspace: row.workspace,
    key: row.key,
    path: row.path,
    size: row.size,
    etag: row.etag,
    lastModified: row.lastModified,
  };
}

class RunningEmulator implements Emulator {
  faults: FaultConfig = defaultFaults();
  onRequest: Emulator['onRequest'] = null;
  onHandled: Emulator['onHandled'] = null;
  readonly admin: Emulator['admin'];

  constructor(
    readonly url: string,
    readonly port: number,
    private readonly server: Server,
    private readonly recorder: RequestRecorder,
    private readonly deps: EmulatorDeps,
  ) {
    const { files, metadata, store } = deps;
    this.admin = {
      put: async (workspace, path, bytes) => toStoredFile(await files.storeBytes(workspace, relativePath(undefined, path), Buffer.from(bytes))),
      remove: (workspace, path) => files.removeByPath(workspace, path),
      list: (workspace) => metadata.all(workspace).map(toStoredFile),
      read: async (workspace, path) => {
        const row = metadata.byPath(workspace, path);
        return row === null ? null : store.read(workspace, row.key);
      },
    };
  }

  resetFaults(): void {
    this.faults = defaultFaults();
  }

  counters(): Record<RequestKind, number> {
    return this.recorder.counters();
  }

  resetCounters(): void {
    this.recorder.reset();
  }

  requests(): RequestRecord[] {
    return this.recorder.requests();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    await this.deps.store.close();
    this.deps.metadata.close();
  }
}

/** Starts a Files API emulator on loopback; its data folder carries over between runs. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const blobDir = join(options.dataDir, 'blobs');
  const tmpDir = join(options.dataDir, 'tmp');
  await mkdir(blobDir, { recursive: true });
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });

  const metadata = new MetadataStore(join(options.dataDir, 'metadata.sqlite'));
  const signer = new UrlSigner(metadata.signingSecret());
  let baseUrl = '';
  const storage = options.storage ?? { kind: 'disk' };
  const store: BlobStore = storage.kind === 's3' ? new S3BlobStore(storage) : new DiskBlobStore(blobDir, signer, () => baseUrl, options.etags);

  for (const expired of metadata.takeExpiredPending(Math.floor(Date.now() / 1000))) {
    await store.remove(expired.workspace, expired.key);
  }

  const keys = options.keys ?? DEFAULT_KEYS;
  const workspaces = new Set(options.workspaces ?? ['ws_demo']);
  const recorder = new RequestRecorder();
  let emulator: RunningEmulator | null = null;
  const deps: EmulatorDeps = {
    keys: new KeyRing(keys, workspaces),
    metadata,
    store,
    files: new FileService(metadata, store),
    signer,
    faults: new FaultInjector(() => emulator?.faults ?? defaultFaults(), options.random ?? Math.random),
    tmpDir,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    presignTtlSeconds: options.presignTtlSeconds ?? DEFAULT_PRESIGN_TTL_SECONDS,
  };
  const server = createEmulatorServer(deps, {
    recorder,
    onRequest: () => emulator?.onRequest ?? null,
    onHandled: () => emulator?.onHandled ?? null,
    log: options.log ?? (() => undefined),
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    metadata.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emulator = new RunningEmulator(baseUrl, port, server, recorder, deps);
  return emulator;
}
