import type { StagedBlob } from './staging.js';

export interface BlobInfo {
  size: number;
  /** Bare etag: the MD5 hex of the bytes unless an etag style says otherwise. */
  etag: string;
}

export interface PresignRequest {
  workspace: string;
  key: string;
  ttlSeconds: number;
  /** Issue the URL already expired (fault injection). */
  expired: boolean;
}

/**
 * Where object bytes live and how clients reach them directly: the built-in disk store serves
 * its own signed storage routes, the S3 store hands out SigV4 URLs of the S3 server itself.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /** Moves a staged temp file in as the object's bytes. */
  commit(staged: StagedBlob, workspace: string, key: string): Promise<BlobInfo>;
  put(workspace: string, key: string, bytes: Buffer): Promise<BlobInfo>;
  stat(workspace: string, key: string): Promise<BlobInfo | null>;
  read(workspace: string, key: string): Promise<Buffer | null>;
  remove(workspace: string, key: string): Promise<void>;
  downloadUrl(request: PresignRequest): Promise<string>;
  uploadUrl(request: PresignRequest & { contentType: string }): Promise<string>;
  close(): Promise<void>;
}

export function bareEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
