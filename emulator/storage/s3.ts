import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StorageConfig } from '../types.js';
import { bareEtag, type BlobInfo, type BlobStore, type PresignRequest } from './blob-store.js';
import type { StagedBlob } from './staging.js';

type S3Config = Extract<StorageConfig, { kind: 's3' }>;

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey');
}

/**
 * Blobs in an S3-compatible bucket under `<workspace>/<key>`. Clients get real SigV4 URLs of the
 * S3 server itself, so they are proven against S3's signatures rather than ours.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle ?? true,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksum headers would be baked into presigned PUT URLs and that clients cannot match.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(workspace: string, key: string): string {
    return `${workspace}/${key}`;
  }

  async commit(staged: StagedBlob, workspace: string, key: string): Promise<BlobInfo> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: this.objectKey(workspace, key),
          Body: createReadStream(staged.tempPath),
          ContentLength: staged.size,
        }),
      );
    } finally {
      await rm(staged.tempPath, { force: true });
    }
    return { size: staged.size, etag: staged.md5 };
  }

  async put(workspace: string, key: string, bytes: Buffer): Promise<BlobInfo> {
    const answer = await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(workspace, key), Body: bytes }));
    return { size: bytes.length, etag: bareEtag(answer.ETag ?? '') };
  }

  async stat(workspace: string, key: string): Promise<BlobInfo | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(workspace, key) }));
      return { size: head.ContentLength ?? 0, etag: bareEtag(head.ETag ?? '') };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(workspace: string, key: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(workspace, key) }));
      if (answer.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async remove(workspace: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(workspace, key) }));
  }

  async downloadUrl(request: PresignRequest): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(request.workspace, request.key) });
    return getSignedUrl(this.client, command, this.presignOptions(request));
  }

  async uploadUrl(request: PresignRequest & { contentType: string }): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.config.bucket,
      Key: this.objectKey(request.workspace, request.key),
      ContentType: request.contentType,
    });
    return getSignedUrl(this.client, command, {
      ...this.presignOptions(request),
      signableHeaders: new Set(['content-type']),
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** An "already expired" URL is one signed long enough ago that its lifetime is over. */
  private presignOptions(request: PresignRequest): { expiresIn: number; signingDate?: Date } {
    if (!request.expired) return { expiresIn: request.ttlSeconds };
    return { expiresIn: 1, signingDate: new Date(Date.now() - 120_000) };
  }
}
