import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer the emulator gives on purpose: the status and the contract's JSON error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Answers with the contract's error body. A response already under way cannot change its
 * status any more, so the connection is cut instead: the client sees a broken transfer.
 */
export function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** Reads a small JSON body (API requests only; bytes go through streamed routes). */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new ApiError(413, 'payload_too_large', `JSON body over ${maxBytes} bytes`, { Connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      throw new ApiError(413, 'payload_too_large', `JSON body over ${maxBytes} bytes`, { Connection: 'close' });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'bad_request', 'request body is empty; JSON expected');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_json', 'request body is not valid JSON');
  }
}

export function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw new ApiError(400, 'missing_parameter', `query parameter '${name}' is required`);
  }
  return value;
}
