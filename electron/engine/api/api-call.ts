/**
 * One JSON call to the Files API: the key goes on, the answer comes back validated, and every
 * failure leaves as a WsyncError naming the endpoint and the file. `send`, `json` and `parsed`
 * retry under a budget (the call's own, or one a longer operation shares); the `Once` forms make
 * a single request, for an attempt that the operation's own loop retries as a whole.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type * as z from 'zod';
import type { Logger } from '../logger.js';
import { statusError, toWsyncError, type CallSite } from './errors.js';
import type { HttpClients } from './http.js';
import type { Retrier, RetryBudget } from './retry-loop.js';
import { parseJsonText, validate, type AnswerSource } from './schemas.js';

export interface ApiCallSpec {
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the server root, e.g. "/v1/files". */
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  /** A streamed body: sent once, since a consumed stream cannot be replayed (callers retry with a new one). */
  body?: { stream: Readable; contentType: string; length: number };
  file?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface RawAnswer {
  status: number;
  body: string;
  contentType: string | undefined;
}

interface BytesAnswer {
  status: number;
  bytes: Buffer;
  contentType: string | undefined;
}

/**
 * An answer fingerprinted as it streamed in, its chunks never joined into one buffer: a list page
 * that comes back byte for byte is then neither copied nor decoded, and one that is decoded leaves
 * no joined copy behind (got's joined bodies were a large part of a listing's peak memory).
 */
export interface DigestedAnswer {
  contentType: string | undefined;
  /** SHA-256 of the body's bytes, hex. */
  digest: string;
  /** Size of the body. */
  bytes: number;
  /** The body decoded as UTF-8. */
  text(): string;
}

export class ApiCaller {
  readonly base: string;

  constructor(
    server: string,
    readonly workspace: string,
    readonly http: HttpClients,
    readonly secrets: readonly string[],
    readonly logger: Logger,
    readonly retrier: Retrier,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  site(operation: string, endpoint: string, file?: string): CallSite {
    return { operation, endpoint, file, secrets: this.secrets };
  }

  /** A budget for one call of the client; every request made under it shares its retries. */
  budget(spec: Pick<ApiCallSpec, 'operation' | 'file' | 'signal'>): RetryBudget {
    return this.retrier.budget(spec.operation, spec.file, spec.signal);
  }

  /** The call's answer, retried under `budget`; statuses in `accept` come back instead of being thrown. */
  async send(spec: ApiCallSpec, accept: readonly number[] = [], budget: RetryBudget = this.budget(spec)): Promise<RawAnswer> {
    return this.retrier.run(budget, () => this.sendOnce(spec, budget, accept));
  }

  /** A GET's answer fingerprinted as it streams, retried under `budget`. */
  async sendDigested(spec: ApiCallSpec & { method: 'GET' }, budget: RetryBudget = this.budget(spec)): Promise<DigestedAnswer> {
    return this.retrier.run(budget, () => this.digestedOnce(spec, budget));
  }

  /** One request, after the rate gate; no retry. */
  async sendOnce(spec: ApiCallSpec, budget: RetryBudget, accept: readonly number[] = []): Promise<RawAnswer> {
    const answer = await this.bytesOnce(spec, budget, accept);
    return { status: answer.status, body: answer.bytes.toString('utf8'), contentType: answer.contentType };
  }

  private async bytesOnce(spec: ApiCallSpec, budget: RetryBudget, accept: readonly number[] = []): Promise<BytesAnswer> {
    const site = this.site(spec.operation, `${spec.method} ${spec.path}`, spec.file);
    await this.retrier.beforeRequest(budget);
    try {
      const response = await this.http.api(`${this.base}${spec.path}`, {
        method: spec.method,
        ...(spec.searchParams === undefined ? {} : { searchParams: spec.searchParams }),
        ...(spec.json === undefined ? {} : { json: spec.json }),
        ...(spec.body === undefined
          ? {}
          : { body: spec.body.stream, headers: { 'content-type': spec.body.contentType, 'content-length': String(spec.body.length) } }),
        ...(spec.signal === undefined ? {} : { signal: spec.signal }),
        throwHttpErrors: false,
        responseType: 'buffer',
      });
      const answer = { status: response.statusCode, bytes: response.body, contentType: response.headers['content-type'] };
      if ((answer.status >= 200 && answer.status < 300) || accept.includes(answer.status)) return answer;
      throw statusError(answer.status, site, { body: answer.bytes.toString('utf8'), retryAfter: response.headers['retry-after'] });
    } catch (err) {
      throw toWsyncError(err, site, spec.signal);
    }
  }

  private async digestedOnce(spec: ApiCallSpec & { method: 'GET' }, budget: RetryBudget): Promise<DigestedAnswer> {
    const site = this.site(spec.operation, `${spec.method} ${spec.path}`, spec.file);
    await this.retrier.beforeRequest(budget);
    const stream = this.http.api.stream(`${this.base}${spec.path}`, {
      method: 'GET',
      ...(spec.searchParams === undefined ? {} : { searchParams: spec.searchParams }),
      ...(spec.signal === undefined ? {} : { signal: spec.signal }),
      throwHttpErrors: false,
    });
    try {
      const response = await new Promise<{ statusCode: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
        stream.once('response', resolve);
        stream.once('error', reject);
      });
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        chunks.push(chunk);
        bytes += chunk.length;
      }
      const text = (): string => {
        const decoder = new StringDecoder('utf8');
        let decoded = '';
        for (const chunk of chunks) decoded += decoder.write(chunk);
        return decoded + decoder.end();
      };
      const status = response.statusCode;
      const contentType = response.headers['content-type'];
      if (status >= 200 && status < 300) return { contentType, digest: hash.digest('hex'), bytes, text };
      throw statusError(status, site, { body: text(), retryAfter: response.headers['retry-after'] });
    } catch (err) {
      throw toWsyncError(err, site, spec.signal);
    } finally {
      stream.destroy();
    }
  }

  async json<S extends z.ZodType>(spec: ApiCallSpec, schema: S, budget: RetryBudget = this.budget(spec)): Promise<z.output<S>> {
    return this.retrier.run(budget, () => this.jsonOnce(spec, schema, budget));
  }

  async jsonOnce<S extends z.ZodType>(spec: ApiCallSpec, schema: S, budget: RetryBudget): Promise<z.output<S>> {
    return this.parse(await this.sendOnce(spec, budget), spec, (body, source) => validate(schema, body, source));
  }

  /** The answer's JSON handed to `parse` (which validates it) with where it came from. */
  async parsed<T>(spec: ApiCallSpec, parse: (body: unknown, source: AnswerSource) => T, budget: RetryBudget = this.budget(spec)): Promise<T> {
    return this.retrier.run(budget, async () => this.parse(await this.sendOnce(spec, budget), spec, parse));
  }

  private parse<T>(answer: RawAnswer, spec: ApiCallSpec, parse: (body: unknown, source: AnswerSource) => T): T {
    const source = { endpoint: `${spec.method} ${spec.path}`, file: spec.file };
    return parse(parseJsonText(answer.body, source, answer.contentType), source);
  }
}
