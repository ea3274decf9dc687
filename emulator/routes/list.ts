import type { RequestContext } from '../context.js';
import { toFileMeta } from '../file-meta.js';
import { ApiError, requiredParam, sendJson } from '../http.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ApiError(400, 'invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** Cursors are opaque to clients: the last path of the previous page, wrapped. */
export function encodeCursor(lastPath: string): string {
  return Buffer.from(`p:${lastPath}`, 'utf8').toString('base64url');
}

function decodeCursor(raw: string | null): string | null {
  if (raw === null || raw === '') return null;
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (!text.startsWith('p:') || encodeCursor(text.slice(2)) !== raw) {
    throw new ApiError(400, 'invalid_cursor', 'cursor is not one this server issued');
  }
  return text.slice(2);
}

export async function handleList({ req, res, url, deps }: RequestContext): Promise<void> {
  const apiKey = deps.keys.authenticate(req);
  const workspace = requiredParam(url.searchParams, 'workspace_id');
  deps.keys.authorizeWorkspace(apiKey, workspace);
  const prefix = url.searchParams.get('prefix') ?? '';
  const limit = parseLimit(url.searchParams.get('limit'));
  const ignoreCursor = deps.faults.ignoreCursor();
  const cursor = decodeCursor(url.searchParams.get('cursor'));
  const after = ignoreCursor ? null : cursor;

  const rows = deps.metadata.listPage(workspace, prefix, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const more = rows.length > limit && last !== undefined;
  sendJson(res, 200, {
    files: page.map(toFileMeta),
    next_cursor: more && !ignoreCursor ? encodeCursor(last.path) : null,
  });
}
