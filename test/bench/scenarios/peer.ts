/**
 * Scenario 7: a peer. s3rver backs the emulator's S3 mode; Debian's rclone copies the tree's
 * objects straight from s3rver, and wsync syncs the same tree through the emulator, whose
 * presigned URLs point at that same s3rver: both pull the same bytes from the same server. Each
 * runs at its defaults (rclone: --transfers 4 --checkers 8; wsync: its own pool), as a user
 * choosing between them would.
 */
import { readdirSync } from 'node:fs';
import type { DriverResult } from '../child/driver.js';
import { alternate, API_KEY, CONCURRENCY, type BenchContext } from '../lib/context.js';
import { runDriver, runExternal, type ExternalResult } from '../lib/measured.js';
import { startEmulatorProcess, startS3rverProcess } from '../lib/processes.js';
import { median } from '../lib/stats.js';

const BUCKET = 'wsync-bench';
const RCLONE = '/usr/bin/rclone';

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length;
}

export async function peer(ctx: BenchContext): Promise<void> {
  const tree = ctx.sizes.peerTree;
  const s3 = await startS3rverProcess(ctx.freshDir('s7-s3rver'), BUCKET);
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  try {
    const emu = await startEmulatorProcess({
      ...ctx.emulatorOptions('s7'),
      storage: { kind: 's3', endpoint: s3.url, bucket: BUCKET, region: 'us-east-1', ...credentials, forcePathStyle: true },
    });
    try {
      const ws = ctx.freshWorkspace();
      await emu.seed(ws, tree);
      // The remote is configured from the environment only: no rclone.conf is read or written.
      const rcloneEnv = {
        RCLONE_CONFIG: '/dev/null',
        // A CA bundle meant for HTTPS elsewhere makes rclone refuse its plain-HTTP loopback transport.
        AWS_CA_BUNDLE: undefined,
        RCLONE_CONFIG_BENCH_TYPE: 's3',
        RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
        RCLONE_CONFIG_BENCH_ENDPOINT: s3.url,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: credentials.accessKeyId,
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
      };
      const runs = await alternate(
        ctx.runs,
        async (run): Promise<DriverResult> => {
          const root = ctx.freshDir('s7-wsync');
          const r = await runDriver(
            { mode: 'sync-once', root, server: emu.url, workspace: ws, apiKey: API_KEY, concurrency: CONCURRENCY },
            `s7-wsync-run${run}`,
          );
          if (!r.ok || r.files !== tree.count) throw new Error(`wsync through S3 mode: ${r.detail}`);
          return r;
        },
        async (): Promise<ExternalResult> => {
          const root = ctx.freshDir('s7-rclone');
          const r = await runExternal(RCLONE, ['copy', `bench:${BUCKET}/${ws}`, root], rcloneEnv);
          const copied = countFiles(root);
          if (copied !== tree.count) throw new Error(`rclone copied ${copied} of ${tree.count} files`);
          return r;
        },
        [emu.pid, s3.pid],
      );
      const load = median(runs.load);
      const { wsync, baseline } = runs;
      const label = `${tree.count.toLocaleString('en-US')} × ${tree.size / 1024} KB`;
      const w = median(wsync.map((r) => r.wallMs / 1000));
      const b = median(baseline.map((r) => r.wallMs / 1000));
      ctx.record({
        scenario: 7,
        measure: `${label}: wall time`,
        value: w,
        unit: 's',
        baseline: { name: 'rclone copy', value: b },
        ratio: w / b,
        runs: wsync.map((r) => r.wallMs / 1000),
        note: 'both at their defaults',
        load,
      });
      ctx.record({
        scenario: 7,
        measure: `${label}: files/s`,
        value: tree.count / w,
        unit: 'files/s',
        baseline: { name: 'rclone copy', value: tree.count / b },
        target: { text: "≥ rclone's", met: b >= w },
        runs: wsync.map((r) => (tree.count * 1000) / r.wallMs),
        load,
      });
      const cpuS = (r: DriverResult) => (r.cpuUserMs + r.cpuSystemMs) / 1000;
      ctx.record({
        scenario: 7,
        measure: `${label}: CPU time`,
        value: median(wsync.map(cpuS)),
        unit: 's',
        baseline: { name: 'rclone copy', value: median(baseline.map((r) => r.cpuMs / 1000)) },
        runs: wsync.map(cpuS),
        note: `the servers' meanwhile (emulator + s3rver): ${(median(runs.serverCpuMs.wsync) / 1000).toFixed(1)} s for wsync, ${(median(runs.serverCpuMs.baseline) / 1000).toFixed(1)} s for rclone`,
        load,
      });
      ctx.record({
        scenario: 7,
        measure: `${label}: peak RSS`,
        value: median(wsync.map((r) => r.peakRssMb)),
        unit: 'MB',
        baseline: { name: 'rclone copy', value: median(baseline.map((r) => r.peakRssMb)) },
        ...(tree.count >= 10_000 ? { target: { text: '≤ 150 MB', met: median(wsync.map((r) => r.peakRssMb)) <= 150 } } : {}),
        runs: wsync.map((r) => r.peakRssMb),
        load,
      });
    } finally {
      await emu.stop();
    }
  } finally {
    await s3.stop();
  }
}
