/**
 * The MD5 of a stored file without writing it anywhere: for telling equal bytes from different
 * ones where the listing's etag cannot (a multipart or SSE-KMS etag, a first sync onto an existing
 * copy). The storage response's headers come first: when they show the etag is the MD5 of the
 * bytes (a plain 32-hex etag on an object stored without SSE-KMS or SSE-C, S3's documented rule),
 * one byte is all that is asked for. Otherwise the body is streamed through MD5 and thrown away.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { WsyncError } from '../errors.js';
import { encryptionHidesMd5, md5OfEtag, normalizeEtag } from '../model/etag.js';
import type { RemoteFile } from '../model/trees.js';
import type { TokenBucket } from '../transfer/throttle.js';
import { streamingMd5 } from '../transfer/md5.js';
import type { ApiCaller } from './api-call.js';
import { throttled } from './chunks.js';
import { storageStatusError, toWsyncError } from './errors.js';
import { urlForLog } from './redact.js';
import type { RetryBudget } from './retry-loop.js';
import { DownloadUrlSchema } from './schemas.js';
import type { RemoteHash, RemoteHashOptions } from './types.js';

export interface RemoteHashDeps {
  caller: ApiCaller;
  bucket?: TokenBucket | undefined;
}

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The etag is the bytes' MD5 by what this storage response says, or undefined. */
function md5FromHeaders(file: RemoteFile, headers: IncomingHttpHeaders): string | undefined {
  const listed = md5OfEtag(file.etag);
  if (listed === undefined) return undefined;
  const encryption = {
    serverSide: header(headers, 'x-amz-server-side-encryption'),
    customerAlgorithm: header(headers, 'x-amz-server-side-encryption-customer-algorithm'),
  };
  if (encryptionHidesMd5(encryption)) return undefined;
  // Storage that names another version than the listing did is not this version's evidence.
  const served = normalizeEtag(header(headers, 'etag'));
  return served === undefined || served.toLowerCase() === listed ? listed : undefined;
}

export async function hashRemoteFile(deps: RemoteHashDeps, file: RemoteFile, options: RemoteHashOptions = {}): Promise<RemoteHash> {
  if (file.size === 0) return { md5: EMPTY_MD5, from: 'size' };
  const budget = deps.caller.budget({ operation: 'compare', file: file.path, signal: options.signal });
  let url: string | null = null;
  // A plain 32-hex etag is probably the MD5: one byte is asked for first, and the headers settle it.
  let headersOnly = options.readBody === false || md5OfEtag(file.etag) !== undefined;
  return deps.caller.retrier.run(budget, async () => {
    for (;;) {
      url ??= await deps.caller.jsonOnce(
        {
          operation: 'compare',
          method: 'GET',
          path: '/v1/files/download',
          searchParams: { workspace_id: deps.caller.workspace, key: file.key },
          file: file.path,
          signal: options.signal,
        },
        DownloadUrlSchema,
        budget,
      );
      let answer: RemoteHash | 'unsettled';
      try {
        answer = await fetchOnce(deps, budget, file, url, headersOnly, options.signal);
      } catch (err) {
        // An expired or refused URL is not tried again: the next attempt asks for a fresh one.
        if (err instanceof WsyncError && err.code === 'url-refused') url = null;
        throw err;
      }
      if (answer !== 'unsettled') return answer;
      if (options.readBody === false) return { md5: undefined, from: 'etag' };
      headersOnly = false;
    }
  });
}

/** One storage GET: the whole body hashed, or (headersOnly) one byte and what the headers say. */
async function fetchOnce(
  deps: RemoteHashDeps,
  budget: RetryBudget,
  file: RemoteFile,
  url: string,
  headersOnly: boolean,
  signal: AbortSignal | undefined,
): Promise<RemoteHash | 'unsettled'> {
  const site = deps.caller.site('compare', `GET ${urlForLog(url)}`, file.path);
  await deps.caller.retrier.beforeRequest(budget);
  const stream = deps.caller.http.storage.stream(url, {
    decompress: false,
    throwHttpErrors: false,
    headers: headersOnly ? { range: 'bytes=0-0' } : {},
    ...(signal ? { signal } : {}),
  });
  try {
    const response = await new Promise<{ statusCode: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    if (response.statusCode !== 200 && response.statusCode !== 206) throw storageStatusError(response.statusCode, site);
    const fromEtag = md5FromHeaders(file, response.headers);
    if (fromEtag !== undefined) return { md5: fromEtag, from: 'etag' };
    if (headersOnly) return 'unsettled';
    if (response.statusCode !== 200)
      throw new WsyncError('transient', `compare of '${file.path}': storage answered a part of the file`, { code: 'bad-range', path: file.path });
    const hash = streamingMd5(file.size);
    try {
      let read = 0;
      for await (const chunk of throttled(stream as AsyncIterable<Buffer>, deps.bucket, signal)) {
        read += chunk.length;
        if (read > file.size) throw remoteChanged(file, `more than the listed ${file.size} bytes`);
        const hashing = hash.update(chunk);
        if (hashing !== undefined) await hashing;
      }
      if (read !== file.size)
        throw new WsyncError('transient', `compare of '${file.path}': the body ended after ${read} of ${file.size} bytes`, {
          code: 'short-body',
          path: file.path,
        });
      return { md5: await hash.digest(), from: 'bytes' };
    } finally {
      hash.dispose();
    }
  } catch (err) {
    throw toWsyncError(err, site, signal);
  } finally {
    stream.destroy();
  }
}

function remoteChanged(file: RemoteFile, detail: string): WsyncError {
  return new WsyncError('conflict', `compare of '${file.path}': the remote file changed since it was listed (${detail})`, {
    code: 'remote-changed',
    path: file.path,
  });
}
