import type { RequestKind, RequestRecord } from './types.js';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'list',
  'upload',
  'download-url',
  'delete',
  'upload-url',
  'upload-confirm',
  'storage-get',
  'storage-put',
  'other',
];

export type RequestHook = (record: Omit<RequestRecord, 'status'>, index: number) => void | Promise<void>;
/** Runs synchronously once a request's handler has finished, before the client can read the answer. */
export type HandledHook = (record: Omit<RequestRecord, 'status'>, index: number) => void;

/** Every request in arrival order, its status filled in when its response ends. */
export class RequestRecorder {
  private records: RequestRecord[] = [];
  private counts = RequestRecorder.zero();

  private static zero(): Record<RequestKind, number> {
    return Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as Record<RequestKind, number>;
  }

  /** Status 0 until the response ends; a cut connection without a response keeps 0. */
  arrive(kind: RequestKind, method: string, path: string): { record: RequestRecord; index: number } {
    const record: RequestRecord = { kind, method, path, status: 0, at: Date.now() };
    this.records.push(record);
    this.counts[kind] += 1;
    return { record, index: this.records.length - 1 };
  }

  counters(): Record<RequestKind, number> {
    return { ...this.counts };
  }

  requests(): RequestRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  reset(): void {
    this.records = [];
    this.counts = RequestRecorder.zero();
  }
}
