import * as z from 'zod';
import type { RequestContext } from '../context.js';
import { newObjectKey, relativePath, splitPath, toFileMeta } from '../file-meta.js';
import { ApiError, readJsonBody, sendJson } from '../http.js';

const MAX_JSON_BYTES = 64 * 1024;

const UploadUrlRequest = z.object({
  filename: z.string().min(1),
  workspace_id: z.string().min(1),
  content_type: z.string().min(1).default('application/octet-stream'),
  size: z.number().int().nonnegative(),
  path: z.string().optional(),
});

const UploadConfirmRequest = z.object({
  file_key: z.string().min(1),
  workspace_id: z.string().min(1),
  filename: z.string().min(1),
  size: z.number().int().nonnegative(),
});

async function parseBody<T>(ctx: RequestContext, schema: z.ZodType<T>): Promise<T> {
  const body = await readJsonBody(ctx.req, MAX_JSON_BYTES);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    throw new ApiError(400, 'invalid_request', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Step 1 of the large upload: reserve a key and hand out a presigned PUT URL. */
export async function handleUploadUrl(ctx: RequestContext): Promise<void> {
  const { req, res, deps } = ctx;
  const apiKey = deps.keys.authenticate(req);
  const body = await parseBody(ctx, UploadUrlRequest);
  deps.keys.authorizeWorkspace(apiKey, body.workspace_id);
  const path = relativePath(body.path, body.filename);
  const key = newObjectKey();
  const expiresAt = Math.floor(Date.now() / 1000) + deps.presignTtlSeconds;
  deps.metadata.addPending({
    workspace: body.workspace_id,
    key,
    path,
    contentType: body.content_type,
    declaredSize: body.size,
    expiresAt,
  });
  const uploadUrl = await deps.store.uploadUrl({
    workspace: body.workspace_id,
    key,
    contentType: body.content_type,
    ttlSeconds: deps.presignTtlSeconds,
    expired: deps.faults.expiredUrls(),
  });
  sendJson(res, 200, { uploadUrl, fileKey: key, expiresAt: new Date(expiresAt * 1000).toISOString() });
}

/** Step 3: the stored object's size must match; then the file is listed. Repeating it is harmless. */
export async function handleUploadConfirm(ctx: RequestContext): Promise<void> {
  const { req, res, deps } = ctx;
  const apiKey = deps.keys.authenticate(req);
  const body = await parseBody(ctx, UploadConfirmRequest);
  const workspace = body.workspace_id;
  deps.keys.authorizeWorkspace(apiKey, workspace);

  const pending = deps.metadata.pending(body.file_key);
  if (pending?.workspace !== workspace) {
    const confirmed = deps.metadata.byKey(workspace, body.file_key);
    if (confirmed === null) throw new ApiError(404, 'not_found', 'no upload with this file_key in the workspace');
    if (confirmed.size !== body.size) {
      throw new ApiError(400, 'size_mismatch', `stored object has ${confirmed.size} bytes, not ${body.size}`);
    }
    sendJson(res, 200, toFileMeta(confirmed));
    return;
  }
  if (body.filename !== splitPath(pending.path).name && body.filename !== pending.path) {
    throw new ApiError(400, 'filename_mismatch', 'filename differs from the one given to upload-url');
  }
  const blob = await deps.store.stat(workspace, pending.key);
  if (blob === null) throw new ApiError(409, 'not_uploaded', 'nothing was uploaded to this file_key yet');
  if (blob.size !== body.size) {
    throw new ApiError(400, 'size_mismatch', `stored object has ${blob.size} bytes, not ${body.size}`);
  }
  const row = await deps.files.confirm(workspace, pending.path, pending.key, blob, pending.contentType);
  sendJson(res, 200, toFileMeta(row));
}
