import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './http.js';

/** The Content-Length a client declared, or null when it sent none. */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  if (!/^\d+$/.test(header)) throw new ApiError(400, 'bad_request', 'Content-Length is not a number');
  return Number(header);
}

/** Fault injection: drops the connection once `afterBytes` of the request body have arrived. */
export function cutUploadAfter(req: IncomingMessage, afterBytes: number): void {
  let received = 0;
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > afterBytes) {
      req.off('data', onData);
      req.socket.destroy();
    }
  };
  req.on('data', onData);
}

export interface BodyOptions {
  /** Cut the connection after this many bytes; null = send everything. */
  cutAfter: number | null;
  /** Invert every byte (same length, wrong content). */
  corrupt: boolean;
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function inverted(chunk: Buffer): Buffer {
  const out = Buffer.allocUnsafe(chunk.length);
  for (let i = 0; i < chunk.length; i += 1) out[i] = (chunk[i] ?? 0) ^ 0xff;
  return out;
}

/** Streams a response body with back-pressure, applying the download faults. */
export async function sendBody(res: ServerResponse, source: AsyncIterable<Buffer>, options: BodyOptions): Promise<void> {
  let sent = 0;
  for await (const raw of source) {
    if (res.destroyed) return;
    const chunk = options.corrupt ? inverted(raw) : raw;
    if (options.cutAfter !== null && sent + chunk.length > options.cutAfter) {
      const part = chunk.subarray(0, options.cutAfter - sent);
      await new Promise<void>((resolve) => res.write(part, () => resolve()));
      res.socket?.destroy();
      return;
    }
    sent += chunk.length;
    if (!res.write(chunk)) await waitForDrain(res);
  }
  res.end();
}
