/**
 * The engine's view of the remote: what the Files API client offers, in the model's terms
 * (model/trees.ts: RemoteFile, Listing).
 */
import type { Listing, RemoteFile } from '../model/trees.js';

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface TransferOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

export interface UploadOptions extends TransferOptions {
  /**
   * The file's MD5, when the caller hashed it already: the upload then only counts the bytes it
   * sends. The caller must check the file did not change meanwhile (size, mtime, inode), as the
   * executor does; a server etag that contradicts it fails the upload unless the file changed.
   */
  md5?: string;
}

export interface UploadResult {
  file: RemoteFile;
  /** Hex MD5 of the bytes actually sent. */
  md5: string;
}

export interface DownloadResult {
  /** Hex MD5 of the bytes written. */
  md5: string;
  size: number;
  /** Bytes received over the network by this call (less than size when it resumed a partial). */
  fetched: number;
  /** Bytes a partial from an earlier attempt or run already held (0: started from the beginning). */
  resumedFrom: number;
  /** False when `beforePlacing` said no: nothing was placed and the bytes are gone. */
  placed: boolean;
  /** Size, mtime and inode of the file placed (as read before its rename: what a base row records). */
  local: { size: number; mtimeMs: number; ino: number };
  /** Folders whose entries the placement changed, to fsync before relying on the file (done already unless syncDirectory was false). */
  folders: string[];
}

export interface RemoteHashOptions {
  signal?: AbortSignal;
  /** False: only the storage's headers are looked at (md5 stays undefined unless they settle it). */
  readBody?: boolean;
}

export interface RemoteHash {
  /** Hex MD5 of the stored bytes; undefined when asked not to read them and the headers did not tell. */
  md5: string | undefined;
  /** 'etag': the storage's headers showed the etag is the MD5; 'bytes': read and hashed; 'size': empty. */
  from: 'etag' | 'bytes' | 'size';
}

export interface FilesApi {
  /** Every page under prefix, ordered by path. */
  list(prefix?: string, options?: { signal?: AbortSignal }): Promise<Listing>;
  /** The file at exactly this path now, or null. */
  stat(path: string, options?: { signal?: AbortSignal }): Promise<RemoteFile | null>;
  /** Streams localFile from disk to remotePath (multipart, or the three-step flow above 500 MB). */
  upload(localFile: string, remotePath: string, options?: UploadOptions): Promise<UploadResult>;
  /**
   * Streams the file to a temporary file beside `destination`, verifies length (and MD5 where the
   * etag is a plain MD5), fsyncs and renames into place, once `beforePlacing` (if given) agrees.
   * Nothing partial ever sits at destination.
   */
  download(
    file: RemoteFile,
    destination: string,
    options?: TransferOptions & {
      tempDir?: string;
      syncDirectory?: boolean;
      partialDir?: string;
      beforePlacing?: () => boolean | Promise<boolean>;
      replacing?: { size: number; mtimeMs: number; ino: number } | null;
    },
  ): Promise<DownloadResult>;
  /** The MD5 of a stored file, read through (never written anywhere) unless storage headers settle it. */
  hashRemote(file: RemoteFile, options?: RemoteHashOptions): Promise<RemoteHash>;
  /** 404 counts as done. */
  delete(key: string, options?: { signal?: AbortSignal }): Promise<void>;
}
