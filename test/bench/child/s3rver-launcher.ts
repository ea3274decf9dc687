/**
 * s3rver (the S3-compatible server behind the emulator's S3 mode) in its own process, so the
 * emulator and the peer (rclone) both reach the same storage over loopback.
 * argv[2]: JSON { directory, bucket }.
 */
import { createRequire } from 'node:module';

interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverServer;

// s3rver ships no types; this is the slice of its API the bench uses.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const { directory, bucket } = JSON.parse(process.argv[2] ?? '{}') as { directory: string; bucket: string };
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
const address = await server.run();
const shutdown = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
// The bench died without stopping us: do not outlive it.
process.on('disconnect', shutdown);
process.send?.({ ready: true, url: `http://127.0.0.1:${address.port}` });
