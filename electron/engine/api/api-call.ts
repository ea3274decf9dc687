/**
 * One JSON call to the Files API: the key goes on, the answer comes back validated, and every
 * failure leaves as a WsyncError naming the endpoint and the file.
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { statusError, toWsyncError, type CallSite } from './errors.js';
import { callContext, type HttpClients } from './http.js';
import { parseJsonText, validate, type AnswerSource } from './schemas.js';

export interface ApiCallSpec {
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the server root, e.g. "/v1/files". */
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  /** A streamed body: sent once, since got cannot replay a consumed stream (callers retry). */
  body?: { stream: Readable; contentType: string; length: number };
  file?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface RawAnswer {
  status: number;
  body: string;
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
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  site(operation: string, endpoint: string, file?: string): CallSite {
    return { operation, endpoint, file, secrets: this.secrets };
  }

  /** The call's answer; statuses in `accept` come back instead of being thrown. */
  async send(spec: ApiCallSpec, accept: readonly number[] = []): Promise<RawAnswer> {
    const site = this.site(spec.operation, `${spec.method} ${spec.path}`, spec.file);
    try {
      const response = await this.http.api(`${this.base}${spec.path}`, {
        method: spec.method,
        ...(spec.searchParams === undefined ? {} : { searchParams: spec.searchParams }),
        ...(spec.json === undefined ? {} : { json: spec.json }),
        ...(spec.body === undefined
          ? {}
          : {
              body: spec.body.stream,
              headers: { 'content-type': spec.body.contentType, 'content-length': String(spec.body.length) },
              retry: { limit: 0 },
            }),
        ...(spec.signal === undefined ? {} : { signal: spec.signal }),
        throwHttpErrors: false,
        context: callContext(site),
      });
      const answer = { status: response.statusCode, body: response.body, contentType: response.headers['content-type'] };
      if ((answer.status >= 200 && answer.status < 300) || accept.includes(answer.status)) return answer;
      throw statusError(answer.status, site, { body: answer.body, retryAfter: response.headers['retry-after'] });
    } catch (err) {
      throw toWsyncError(err, site, spec.signal);
    }
  }

  async json<S extends z.ZodType>(spec: ApiCallSpec, schema: S): Promise<z.output<S>> {
    return this.parsed(spec, (body, source) => validate(schema, body, source));
  }

  /** The answer's JSON handed to `parse` (which validates it) with where it came from. */
  async parsed<T>(spec: ApiCallSpec, parse: (body: unknown, source: AnswerSource) => T): Promise<T> {
    const answer = await this.send(spec);
    const source = { endpoint: `${spec.method} ${spec.path}`, file: spec.file };
    return parse(parseJsonText(answer.body, source, answer.contentType), source);
  }
}
