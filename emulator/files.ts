import type { MetadataStore, FileRow } from './metadata.js';
import { newObjectKey } from './file-meta.js';
import type { BlobInfo, BlobStore } from './storage/blob-store.js';
import type { StagedBlob } from './storage/staging.js';

export interface NewFileDetails {
  contentType: string | null;
  description: string | null;
}

/**
 * Writes that touch both the blob store and the metadata: a new upload gets a new key, takes
 * over its path, and the bytes of whatever it replaced are removed afterwards.
 */
export class FileService {
  constructor(
    readonly metadata: MetadataStore,
    readonly store: BlobStore,
  ) {}

  async storeStaged(workspace: string, path: string, staged: StagedBlob, details: NewFileDetails): Promise<FileRow> {
    const key = newObjectKey();
    const blob = await this.store.commit(staged, workspace, key);
    return this.record(workspace, path, key, blob, details);
  }

  async storeBytes(workspace: string, path: string, bytes: Buffer): Promise<FileRow> {
    const key = newObjectKey();
    const blob = await this.store.put(workspace, key, bytes);
    return this.record(workspace, path, key, blob, { contentType: null, description: null });
  }

  /** The last step of the large-upload flow: a pending object becomes a listed file. */
  async confirm(workspace: string, path: string, key: string, blob: BlobInfo, contentType: string): Promise<FileRow> {
    const row = this.row(workspace, path, key, blob, { contentType, description: null });
    const replaced = this.metadata.confirm(row);
    if (replaced !== null) await this.store.remove(workspace, replaced);
    return row;
  }

  async removeByKey(workspace: string, key: string): Promise<boolean> {
    if (!this.metadata.remove(workspace, key)) return false;
    await this.store.remove(workspace, key);
    return true;
  }

  async removeByPath(workspace: string, path: string): Promise<boolean> {
    const row = this.metadata.byPath(workspace, path);
    return row === null ? false : this.removeByKey(workspace, row.key);
  }

  private async record(workspace: string, path: string, key: string, blob: BlobInfo, details: NewFileDetails): Promise<FileRow> {
    const row = this.row(workspace, path, key, blob, details);
    const replaced = this.metadata.upsert(row);
    if (replaced !== null) await this.store.remove(workspace, replaced);
    return row;
  }

  private row(workspace: string, path: string, key: string, blob: BlobInfo, details: NewFileDetails): FileRow {
    return {
      workspace,
      key,
      path,
      size: blob.size,
      etag: blob.etag,
      lastModified: new Date().toISOString(),
      contentType: details.contentType,
      description: details.description,
    };
  }
}
