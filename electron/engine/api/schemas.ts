/**
 * The server's JSON, validated once at this edge. Every variant the contract allows is accepted
 * (bare array or `{files}`, `path + name` or a whole-path `name`, quoted or bare etags, the three
 * download-URL field names); anything else becomes an invalid-response error naming the field.
 */
import * as z from 'zod';
import type { RemoteFile } from '../model/trees.js';
import { WsyncError } from '../errors.js';
import { normalizeEtag } from '../model/etag.js';

const nonNegativeInt = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a non-negative integer').transform(Number)]);
const optionalText = z.string().nullish();

export const FileMetaSchema = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  size: nonNegativeInt,
  path: optionalText,
  etag: optionalText,
  last_modified: optionalText,
  lastModified: optionalText,
  content_type: optionalText,
  contentType: optionalText,
  description: optionalText,
});
export type FileMeta = z.infer<typeof FileMetaSchema>;

const FileMetaListSchema = z.array(FileMetaSchema);
const ListObjectSchema = z.object({
  files: FileMetaListSchema,
  next_cursor: optionalText,
  nextCursor: optionalText,
});

export interface ListPage {
  files: RemoteFile[];
  nextCursor: string | null;
}

const httpUrl = z.string().refine((text) => {
  try {
    const protocol = new URL(text).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}, 'expected an http(s) URL');

export const DownloadUrlSchema = z
  .object({ url: httpUrl.optional(), download_url: httpUrl.optional(), downloadUrl: httpUrl.optional() })
  .transform((body) => body.url ?? body.download_url ?? body.downloadUrl)
  .pipe(z.string({ error: 'expected one of url, download_url, downloadUrl' }));

export const UploadUrlSchema = z
  .object({
    uploadUrl: httpUrl.optional(),
    upload_url: httpUrl.optional(),
    fileKey: z.string().min(1).optional(),
    file_key: z.string().min(1).optional(),
  })
  .transform((body) => ({ uploadUrl: body.uploadUrl ?? body.upload_url, fileKey: body.fileKey ?? body.file_key }))
  .pipe(
    z.object({
      uploadUrl: z.string({ error: 'expected uploadUrl' }),
      fileKey: z.string({ error: 'expected fileKey' }),
    }),
  );

/** `path + name`, or `name` alone when the server sends no folder. */
export function relativePathOf(meta: FileMeta): string {
  const folder = meta.path ?? '';
  if (folder === '') return meta.name;
  return folder.endsWith('/') ? folder + meta.name : `${folder}/${meta.name}`;
}

export function toRemoteFile(meta: FileMeta): RemoteFile {
  return {
    key: meta.key,
    path: relativePathOf(meta),
    size: meta.size,
    etag: normalizeEtag(meta.etag),
    lastModified: meta.last_modified ?? meta.lastModified ?? undefined,
    contentType: meta.content_type ?? meta.contentType ?? undefined,
  };
}

/**
 * Either shape of a list answer; the shape is picked first so that an error names the field.
 * A page holds up to a thousand items and a big folder is hundreds of pages, so items are checked
 * by hand and mapped straight to RemoteFile; the check accepts only what FileMetaSchema accepts,
 * and anything it doubts goes through the schema, whose error names the field.
 */
export function parseListPage(body: unknown, source: AnswerSource): ListPage {
  if (Array.isArray(body)) return { files: leanFiles(body) ?? validate(FileMetaListSchema, body, source).map(toRemoteFile), nextCursor: null };
  if (isRecord(body) && Array.isArray(body.files) && isOptionalText(body.next_cursor) && isOptionalText(body.nextCursor)) {
    const files = leanFiles(body.files);
    if (files !== undefined) return { files, nextCursor: cursorOf(body.next_cursor ?? body.nextCursor ?? null) };
  }
  const page = validate(ListObjectSchema, body, source);
  return { files: page.files.map(toRemoteFile), nextCursor: cursorOf(page.next_cursor ?? page.nextCursor ?? null) };
}

const cursorOf = (cursor: string | null): string | null => (cursor === '' ? null : cursor);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isOptionalText = (value: unknown): value is string | null | undefined => value === undefined || value === null || typeof value === 'string';

const DIGITS = /^\d+$/;

/** The items as RemoteFiles, or undefined when any item is not plainly a valid FileMeta. */
function leanFiles(items: unknown[]): RemoteFile[] | undefined {
  const files: RemoteFile[] = [];
  for (const item of items) {
    if (!isRecord(item)) return undefined;
    const { key, name, size, path, etag, last_modified, lastModified, content_type, contentType, description } = item;
    if (typeof key !== 'string' || key === '' || typeof name !== 'string' || name === '') return undefined;
    let bytes: number;
    if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) bytes = size;
    else if (typeof size === 'string' && DIGITS.test(size)) bytes = Number(size);
    else return undefined;
    if (!isOptionalText(path) || !isOptionalText(etag) || !isOptionalText(last_modified) || !isOptionalText(lastModified)) return undefined;
    if (!isOptionalText(content_type) || !isOptionalText(contentType) || !isOptionalText(description)) return undefined;
    files.push(toRemoteFile({ key, name, size: bytes, path, etag, last_modified, lastModified, content_type, contentType }));
  }
  return files;
}

/** Where the answer came from, for the error message. */
export interface AnswerSource {
  /** e.g. "GET /v1/files" (never a query string). */
  endpoint: string;
  /** The workspace path or key the call was about, when there is one. */
  file?: string | undefined;
}

function describe(source: AnswerSource): string {
  return source.file === undefined ? source.endpoint : `${source.endpoint} for '${source.file}'`;
}

export function parseJsonText(text: string, source: AnswerSource, contentType: string | undefined): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const what = contentType === undefined || contentType === '' ? 'no content type' : contentType.split(';')[0];
    throw new WsyncError('invalid-response', `${describe(source)}: the answer is not JSON (${what}, ${text.length} bytes)`, {
      code: 'not-json',
      ...(source.file === undefined ? {} : { path: source.file }),
    });
  }
}

export function validate<S extends z.ZodType>(schema: S, body: unknown, source: AnswerSource): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.');
  throw new WsyncError('invalid-response', `${describe(source)}: unexpected answer at ${field}: ${issue?.message ?? 'invalid'}`, {
    code: 'schema',
    ...(source.file === undefined ? {} : { path: source.file }),
  });
}
