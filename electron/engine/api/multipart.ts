/**
 * A multipart/form-data body built as a stream with its exact length known up front, so the file
 * is never held in memory and the request carries a Content-Length (no chunked encoding).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  content: AsyncIterable<Buffer>;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  stream: Readable;
}

/**
 * A quoted-string parameter (RFC 7578 forbids `filename*`): quote and backslash are escaped as
 * quoted-pairs, which multipart parsers unescape; line breaks cannot be sent raw, so they are
 * percent-encoded as browsers do (the planner refuses such names before they get here).
 */
function quoted(value: string): string {
  return `"${value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')}"`;
}

export function multipartBody(fields: readonly (readonly [string, string])[], file: MultipartFile): MultipartBody {
  const boundary = `----wsync${randomBytes(16).toString('hex')}`;
  let head = '';
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(file.field)}; filename=${quoted(file.filename)}\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');

  async function* parts(): AsyncGenerator<Buffer, void, undefined> {
    yield headBytes;
    yield* file.content;
    yield tailBytes;
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headBytes.length + file.size + tailBytes.length,
    stream: Readable.from(parts(), { objectMode: false }),
  };
}
