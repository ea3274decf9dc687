/**
 * One JSON call to the Files API: the key goes on, the answer comes back validated, and every
 * failure leaves as a WsyncError naming the endpoint and the file. `send`, `json` and `parsed`
 * retry under a budget (the call's own, or one a longer operation shares); the `Once` forms make
 * a single request, for an attempt that the operation's own loop retries as a whole.
 */
import type { Readable } from 'node:stream';
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

/** An answer as the bytes that came (a list page is fingerprinted before anyone decodes it). */
export interface BytesAnswer {
  status: number;
  bytes: Buffer;
  contentType: string | undefined;
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

  /** The call's answer as bytes, retried under `budget`. */
  async sendBytes(spec: ApiCallSpec, budget: RetryBudget = this.budget(spec)): Promise<BytesAnswer> {
    return this.retrier.run(budget, () => this.bytesOnce(spec, budget));
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
