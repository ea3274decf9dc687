/**
 * The few Files API calls the bench makes itself (to find when a file is listed, and to hand
 * curl the same presigned URLs wsync uses). Plain fetch; answers are checked at this edge.
 */
import * as z from 'zod';
import { API_KEY } from './context.js';

const headers = { authorization: `Bearer ${API_KEY}` };

async function call<T>(url: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 200)}`);
  return schema.parse(JSON.parse(text));
}

const FileMeta = z.object({ key: z.string(), name: z.string(), size: z.number(), path: z.string().optional(), etag: z.string().optional() });

/** The file listed at exactly this path, or null. */
export async function listedAt(server: string, workspace: string, path: string): Promise<{ size: number } | null> {
  const q = new URLSearchParams({ workspace_id: workspace, prefix: path });
  const page = await call(`${server}/v1/files?${q.toString()}`, {}, z.object({ files: z.array(FileMeta) }));
  const hit = page.files.find((f) => `${f.path ?? ''}${f.name}` === path);
  return hit ? { size: hit.size } : null;
}

export async function downloadUrl(server: string, workspace: string, path: string): Promise<string> {
  const q = new URLSearchParams({ workspace_id: workspace, prefix: path });
  const page = await call(`${server}/v1/files?${q.toString()}`, {}, z.object({ files: z.array(FileMeta) }));
  const hit = page.files.find((f) => `${f.path ?? ''}${f.name}` === path);
  if (!hit) throw new Error(`${path} is not listed`);
  const d = new URLSearchParams({ workspace_id: workspace, key: hit.key });
  return (await call(`${server}/v1/files/download?${d.toString()}`, {}, z.object({ url: z.string() }))).url;
}

export async function uploadUrl(
  server: string,
  workspace: string,
  name: string,
  size: number,
  contentType: string,
): Promise<{ uploadUrl: string; fileKey: string }> {
  return call(
    `${server}/v1/files/upload-url`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: name, workspace_id: workspace, content_type: contentType, size, path: '' }),
    },
    z.object({ uploadUrl: z.string(), fileKey: z.string() }),
  );
}

export async function confirmUpload(server: string, workspace: string, fileKey: string, name: string, size: number): Promise<void> {
  await call(
    `${server}/v1/files/upload-confirm`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_key: fileKey, workspace_id: workspace, filename: name, size }),
    },
    FileMeta,
  );
}
