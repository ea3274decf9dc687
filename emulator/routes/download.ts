import type { RequestContext } from '../context.js';
import { ApiError, requiredParam, sendJson } from '../http.js';

export async function handleDownloadUrl({ req, res, url, deps }: RequestContext): Promise<void> {
  const apiKey = deps.keys.authenticate(req);
  const workspace = requiredParam(url.searchParams, 'workspace_id');
  const key = requiredParam(url.searchParams, 'key');
  deps.keys.authorizeWorkspace(apiKey, workspace);
  if (deps.metadata.byKey(workspace, key) === null) {
    throw new ApiError(404, 'not_found', 'no file with this key in the workspace');
  }
  const downloadUrl = await deps.store.downloadUrl({
    workspace,
    key,
    ttlSeconds: deps.presignTtlSeconds,
    expired: deps.faults.expiredUrls(),
  });
  sendJson(res, 200, { url: downloadUrl, expires_in: deps.presignTtlSeconds });
}
