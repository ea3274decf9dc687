import { createHash } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_ETAG_STYLE, etagOfBytes, etagOfFile, type EtagStyle } from '../etags.js';
import { ApiError } from '../http.js';
import type { UrlSigner } from '../presign.js';
import type { BlobInfo, BlobStore, PresignRequest } from './blob-store.js';
import type { StagedBlob } from './staging.js';

/** Keys are generated here; anything else reaching the file system is refused. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;

export function storageObjectPath(workspace: string, key: string): string {
  return `/storage/${encodeURIComponent(workspace)}/${encodeURIComponent(key)}`;
}

/**
 * Blobs as files under `<dataDir>/blobs`, named by key, each with a `.md5` sidecar holding its
 * etag (the MD5, or what the etag style makes of it). Presigned URLs point at the emulator's own `/storage/...` routes.
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;

  constructor(
    private readonly blobDir: string,
    private readonly signer: UrlSigner,
    private readonly baseUrl: () => string,
    readonly etagStyle: EtagStyle = DEFAULT_ETAG_STYLE,
  ) {}

  blobPath(key: string): string {
    if (!SAFE_KEY.test(key)) throw new ApiError(404, 'not_found', 'no such object');
    return join(this.blobDir, key);
  }

  async commit(staged: StagedBlob, _workspace: string, key: string): Promise<BlobInfo> {
    const path = this.blobPath(key);
    const etag = await etagOfFile(this.etagStyle, key, staged.tempPath, staged.size, staged.md5);
    await writeFile(`${path}.md5`, etag);
    await rename(staged.tempPath, path);
    return { size: staged.size, etag };
  }

  async put(_workspace: string, key: string, bytes: Buffer): Promise<BlobInfo> {
    const path = this.blobPath(key);
    const etag = etagOfBytes(this.etagStyle, key, bytes, createHash('md5').update(bytes).digest('hex'));
    await writeFile(`${path}.md5`, etag);
    await writeFile(`${path}.part`, bytes);
    await rename(`${path}.part`, path);
    return { size: bytes.length, etag };
  }

  async stat(_workspace: string, key: string): Promise<BlobInfo | null> {
    const path = this.blobPath(key);
    try {
      const [info, etag] = await Promise.all([stat(path), readFile(`${path}.md5`, 'utf8')]);
      return { size: info.size, etag: etag.trim() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(_workspace: string, key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.blobPath(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(_workspace: string, key: string): Promise<void> {
    const path = this.blobPath(key);
    await Promise.all([rm(path, { force: true }), rm(`${path}.md5`, { force: true })]);
  }

  async downloadUrl(request: PresignRequest): Promise<string> {
    return this.presign('GET', request, undefined);
  }

  async uploadUrl(request: PresignRequest & { contentType: string }): Promise<string> {
    return this.presign('PUT', request, request.contentType);
  }

  async close(): Promise<void> {
    // Nothing to release: the store holds no handles between calls.
  }

  private presign(method: 'GET' | 'PUT', request: PresignRequest, contentType: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const expires = request.expired ? now - 1 : now + request.ttlSeconds;
    const object = `${request.workspace}/${request.key}`;
    const signature = this.signer.sign({ method, object, expires, ...(contentType === undefined ? {} : { contentType }) });
    const query = new URLSearchParams({ expires: String(expires), signature });
    return `${this.baseUrl()}${storageObjectPath(request.workspace, request.key)}?${query.toString()}`;
  }
}
