import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRing } from './auth.js';
import type { FaultInjector } from './faults.js';
import type { FileService } from './files.js';
import type { MetadataStore } from './metadata.js';
import type { UrlSigner } from './presign.js';
import type { BlobStore } from './storage/blob-store.js';

/** What every route handler may use; built once per emulator. */
export interface EmulatorDeps {
  keys: KeyRing;
  metadata: MetadataStore;
  store: BlobStore;
  files: FileService;
  signer: UrlSigner;
  faults: FaultInjector;
  tmpDir: string;
  maxUploadBytes: number;
  presignTtlSeconds: number;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  deps: EmulatorDeps;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void>;
