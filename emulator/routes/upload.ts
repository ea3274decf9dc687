import type { RequestContext } from '../context.js';
import { relativePath, toFileMeta } from '../file-meta.js';
import { ApiError, sendJson } from '../http.js';
import { parseMultipartUpload } from '../multipart.js';
import { discardStaged } from '../storage/staging.js';
import { cutUploadAfter, declaredLength } from '../transfer.js';

/** Room for the form's boundaries and small fields around the file bytes. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export async function handleUpload({ req, res, url, deps }: RequestContext): Promise<void> {
  const apiKey = deps.keys.authenticate(req);
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new ApiError(400, 'bad_request', 'multipart/form-data expected');
  }
  const declared = declaredLength(req);
  if (declared !== null && declared > deps.maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new ApiError(413, 'payload_too_large', `uploads are limited to ${deps.maxUploadBytes} bytes`, {
      Connection: 'close',
    });
  }
  const cut = deps.faults.uploadCut(declared);
  if (cut !== null) cutUploadAfter(req, cut);

  const form = await parseMultipartUpload(req, deps.tmpDir, deps.maxUploadBytes);
  if (form.file === null) throw new ApiError(400, 'missing_field', "form field 'file' is required");
  const staged = form.file.staged;
  try {
    // Some clients put workspace_id in the query string, as on every other endpoint.
    const workspace = form.fields.get('workspace_id') ?? url.searchParams.get('workspace_id') ?? '';
    if (workspace === '') throw new ApiError(400, 'missing_field', "form field 'workspace_id' is required");
    deps.keys.authorizeWorkspace(apiKey, workspace);
    const path = relativePath(form.fields.get('path'), form.file.filename);
    const row = await deps.files.storeStaged(workspace, path, staged, {
      contentType: form.file.mimeType === '' ? null : form.file.mimeType,
      description: form.fields.get('description') ?? null,
    });
    sendJson(res, 201, toFileMeta(row));
  } finally {
    await discardStaged(staged);
  }
}
