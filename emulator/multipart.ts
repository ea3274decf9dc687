import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ApiError } from './http.js';
import { discardStaged, stageStream, type StagedBlob } from './storage/staging.js';

export interface ParsedUpload {
  fields: Map<string, string>;
  file: { staged: StagedBlob; filename: string; mimeType: string } | null;
}

const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Streams a multipart/form-data upload: the `file` part goes straight to a temp file, other
 * parts are small text fields. Rejects (and removes the temp file) on a malformed form, a
 * second file, a file over `maxFileBytes`, or a client that goes away mid-body.
 */
export function parseMultipartUpload(req: IncomingMessage, tmpDir: string, maxFileBytes: number): Promise<ParsedUpload> {
  return new Promise<ParsedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        preservePath: true,
        defParamCharset: 'utf8',
        // busboy flags a file that reaches its limit exactly, so the limit sits one byte past ours.
        limits: { fileSize: maxFileBytes + 1, fieldSize: MAX_FIELD_BYTES, fields: 32 },
      });
    } catch {
      reject(new ApiError(400, 'bad_request', 'multipart/form-data with a boundary expected'));
      return;
    }

    const fields = new Map<string, string>();
    let staging: Promise<ParsedUpload['file']> | null = null;
    let failure: ApiError | null = null;
    let settled = false;

    const fail = (error: ApiError): void => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      parser.destroy();
      void staging?.then(
        (file) => (file === null ? undefined : discardStaged(file.staged)),
        () => undefined,
      );
      reject(error);
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= new ApiError(400, 'bad_request', `form field '${name}' is too long`);
      fields.set(name, value);
    });
    parser.on('fieldsLimit', () => {
      failure ??= new ApiError(400, 'bad_request', 'too many form fields');
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || staging !== null) {
        failure ??= new ApiError(400, 'bad_request', name === 'file' ? 'more than one file part' : `unexpected file part '${name}'`);
        stream.resume();
        return;
      }
      stream.on('limit', () => {
        failure ??= new ApiError(413, 'payload_too_large', `file is larger than ${maxFileBytes} bytes`);
      });
      staging = stageStream(stream, tmpDir).then((staged) => ({
        staged,
        filename: info.filename ?? '',
        mimeType: info.mimeType,
      }));
      staging.catch(() => undefined);
    });
    parser.on('error', (error: Error) => {
      fail(new ApiError(400, 'bad_request', `malformed multipart body: ${error.message}`));
    });
    parser.on('close', () => {
      const pending = staging ?? Promise.resolve(null);
      pending.then(
        (file) => {
          if (settled) {
            if (file !== null) void discardStaged(file.staged);
            return;
          }
          if (failure !== null) {
            settled = true;
            if (file !== null) void discardStaged(file.staged);
            reject(failure);
            return;
          }
          settled = true;
          resolve({ fields, file });
        },
        () => fail(new ApiError(400, 'bad_request', 'upload body ended early')),
      );
    });
    req.on('error', () => fail(new ApiError(400, 'bad_request', 'client went away mid-upload')));
    req.on('close', () => {
      if (!req.complete) fail(new ApiError(400, 'bad_request', 'client went away mid-upload'));
    });
    req.pipe(parser);
  });
}
