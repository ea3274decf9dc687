import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageConfig } from '../../emulator/types.js';
import { verifyPresignedV4 } from './sigv4-check.js';

interface S3rverApp {
  configureBuckets(): Promise<void>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  logger: { close(): void };
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverApp;

// s3rver ships no types; this is the slice of its API the tests use.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface RunningS3 {
  storage: Extract<StorageConfig, { kind: 's3' }>;
  close(): Promise<void>;
}

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

function signatureMismatch(res: ServerResponse): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
    '<Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
  res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * An S3-compatible server in this process, on a free loopback port, over a temp folder.
 * s3rver checks the expiry of SigV4 presigned URLs but not their signatures, so the front checks
 * those as S3 would (a wrong Content-Type or a tampered signature gets 403) before s3rver serves.
 */
export async function startS3rver(bucket = 'wsync-test'): Promise<RunningS3> {
  const directory = await mkdtemp(join(tmpdir(), 'wsync-s3rver-'));
  const app = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  await app.configureBuckets();
  const serve = app.callback();
  const server = createServer((req, res) => {
    if (verifyPresignedV4(req, SECRET_KEY) === 'invalid') {
      req.resume();
      signatureMismatch(res);
      return;
    }
    serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    storage: {
      kind: 's3',
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'us-east-1',
      // s3rver's fixed credentials: it checks signatures made with them.
      accessKeyId: ACCESS_KEY,
      secretAccessKey: SECRET_KEY,
      forcePathStyle: true,
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      app.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
