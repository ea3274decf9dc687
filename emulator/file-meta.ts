import { randomBytes } from 'node:crypto';
import { ApiError } from './http.js';
import type { FileRow } from './metadata.js';

/** The contract's FileMeta, as the API answers it. */
export interface FileMeta {
  key: string;
  name: string;
  /** Folder: '' or ending in '/'. */
  path: string;
  size: number;
  etag: string;
  last_modified: string;
  content_type?: string;
  description?: string;
}

/** Opaque and random: nothing about the path can be read from it. */
export function newObjectKey(): string {
  return `obj_${randomBytes(12).toString('hex')}`;
}

/**
 * Joins the folder and name a client sent into a relative path. Odd names are stored as they
 * are (the client screens them); only a NUL, a '..' segment or an empty name is refused.
 */
export function relativePath(folder: string | undefined, name: string): string {
  const dir = folder === undefined || folder === '' || folder.endsWith('/') ? (folder ?? '') : `${folder}/`;
  const full = dir + name;
  if (name === '' || name.endsWith('/')) throw new ApiError(400, 'invalid_name', 'file name is empty');
  if (full.includes('\0')) throw new ApiError(400, 'invalid_name', 'file name contains NUL');
  if (full.split(/[/\\]/).includes('..')) throw new ApiError(400, 'invalid_name', "path contains a '..' segment");
  return full;
}

export function splitPath(relative: string): { path: string; name: string } {
  const slash = relative.lastIndexOf('/');
  return { path: relative.slice(0, slash + 1), name: relative.slice(slash + 1) };
}

export function toFileMeta(row: FileRow): FileMeta {
  const meta: FileMeta = {
    key: row.key,
    ...splitPath(row.path),
    size: row.size,
    etag: row.etag,
    last_modified: row.lastModified,
  };
  if (row.contentType !== null) meta.content_type = row.contentType;
  if (row.description !== null) meta.description = row.description;
  return meta;
}
