import type { RequestContext } from '../context.js';
import { ApiError, requiredParam } from '../http.js';

export async function handleDelete({ req, res, url, deps }: RequestContext): Promise<void> {
  const apiKey = deps.keys.authenticate(req);
  const workspace = requiredParam(url.searchParams, 'workspace_id');
  const key = requiredParam(url.searchParams, 'key');
  deps.keys.authorizeWorkspace(apiKey, workspace);
  if (!(await deps.files.removeByKey(workspace, key))) {
    throw new ApiError(404, 'not_found', 'no file with this key in the workspace');
  }
  res.writeHead(204);
  res.end();
}
