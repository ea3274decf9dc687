import { createReadStream } from 'node:fs';
import type { RequestContext } from '../context.js';
import { storageHeaders } from '../etags.js';
import { ApiError } from '../http.js';
import type { SignedOperation } from '../presign.js';
import type { DiskBlobStore } from '../storage/disk.js';
import { stageStream } from '../storage/staging.js';
import { cutUploadAfter, declaredLength, sendBody } from '../transfer.js';

export const STORAGE_PREFIX = '/storage/';

interface ObjectRef {
  workspace: string;
  key: string;
}

function objectRef(url: URL): ObjectRef {
  const parts = url.pathname.slice(STORAGE_PREFIX.length).split('/');
  if (parts.length !== 2) throw new ApiError(404, 'NoSuchKey', 'no such object');
  try {
    const [workspace, key] = parts.map((p) => decodeURIComponent(p));
    if (workspace === undefined || key === undefined) throw new Error('unreachable');
    return { workspace, key };
  } catch {
    throw new ApiError(400, 'InvalidURI', 'object path is not valid percent-encoding');
  }
}

/** 403 for a missing, tampered or expired signature; the Content-Type is part of a PUT's. */
function checkSignature(ctx: RequestContext, ref: ObjectRef, method: 'GET' | 'PUT'): void {
  const expiresRaw = ctx.url.searchParams.get('expires') ?? '';
  const signature = ctx.url.searchParams.get('signature') ?? '';
  if (!/^\d+$/.test(expiresRaw) || !/^[0-9a-f]+$/.test(signature)) {
    throw new ApiError(403, 'AccessDenied', 'storage URL is not signed');
  }
  const op: SignedOperation = { method, object: `${ref.workspace}/${ref.key}`, expires: Number(expiresRaw) };
  if (method === 'PUT') op.contentType = ctx.req.headers['content-type'] ?? '';
  if (!ctx.deps.signer.verify(op, signature)) {
    throw new ApiError(403, 'SignatureDoesNotMatch', 'signature does not match the request');
  }
  if (op.expires < Math.floor(Date.now() / 1000)) {
    throw new ApiError(403, 'AccessDenied', 'request has expired');
  }
}

interface ByteRange {
  start: number;
  end: number; // inclusive
}

/** `bytes=N-` and `bytes=N-M`; anything else is ignored, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (match === null) return null;
  const start = Number(match[1]);
  const end = match[2] === '' || match[2] === undefined ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export function storageHandlers(disk: DiskBlobStore): {
  get: (ctx: RequestContext) => Promise<void>;
  put: (ctx: RequestContext) => Promise<void>;
} {
  async function get(ctx: RequestContext): Promise<void> {
    const { req, res, deps } = ctx;
    const ref = objectRef(ctx.url);
    checkSignature(ctx, ref, 'GET');
    const row = deps.metadata.byKey(ref.workspace, ref.key);
    const blob = row === null ? null : await disk.stat(ref.workspace, ref.key);
    if (row === null || blob === null) throw new ApiError(404, 'NoSuchKey', 'no such object');

    const range = parseRange(req.headers.range, blob.size);
    if (range === 'unsatisfiable') {
      throw new ApiError(416, 'InvalidRange', 'range not satisfiable', { 'Content-Range': `bytes */${blob.size}` });
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? blob.size - 1;
    const length = blob.size === 0 ? 0 : end - start + 1;
    const headers: Record<string, string | number> = {
      'Content-Type': row.contentType ?? 'application/octet-stream',
      'Content-Length': length,
      ETag: `"${blob.etag}"`,
      'Last-Modified': new Date(row.lastModified).toUTCString(),
      'Accept-Ranges': 'bytes',
      ...storageHeaders(disk.etagStyle),
    };
    if (range !== null) headers['Content-Range'] = `bytes ${start}-${end}/${blob.size}`;
    res.writeHead(range === null ? 200 : 206, headers);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const source = createReadStream(disk.blobPath(ref.key), { start, end });
    await sendBody(res, source, {
      cutAfter: deps.faults.downloadCut(length),
      corrupt: deps.faults.corruptDownloads(),
    });
  }

  async function put(ctx: RequestContext): Promise<void> {
    const { req, res, deps } = ctx;
    const ref = objectRef(ctx.url);
    checkSignature(ctx, ref, 'PUT');
    const pending = deps.metadata.pending(ref.key);
    if (pending?.workspace !== ref.workspace) {
      if (deps.metadata.byKey(ref.workspace, ref.key) !== null) {
        throw new ApiError(409, 'AlreadyConfirmed', 'this upload was already confirmed');
      }
      throw new ApiError(404, 'NoSuchUpload', 'no such upload');
    }
    const declared = declaredLength(req);
    if (declared === null) throw new ApiError(411, 'MissingContentLength', 'Content-Length is required');
    if (declared > pending.declaredSize) {
      throw new ApiError(400, 'EntityTooLarge', `body of ${declared} bytes is larger than the ${pending.declaredSize} declared`, {
        Connection: 'close',
      });
    }
    const cut = deps.faults.uploadCut(declared);
    if (cut !== null) cutUploadAfter(req, cut);
    const staged = await stageStream(req, deps.tmpDir);
    const blob = await disk.commit(staged, ref.workspace, ref.key);
    res.writeHead(200, { ETag: `"${blob.etag}"`, 'Content-Length': 0, ...storageHeaders(disk.etagStyle) });
    res.end();
  }

  return { get, put };
}
