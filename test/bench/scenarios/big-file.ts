/**
 * Scenario 6: one large file (2 GB; 200 MB in --quick) uploaded and downloaded by wsync, against
 * curl on the same presigned URLs. The file is sparse: generating it costs nothing, and both
 * sides read the same bytes. Above 500 MB wsync must use the three-step flow, and curl does the
 * same steps (upload-url, PUT with the declared Content-Type, upload-confirm); below it both send
 * one multipart POST.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DriverResult } from '../child/driver.js';
import { confirmUpload, downloadUrl, uploadUrl } from '../lib/api.js';
import { alternate, API_KEY, CONCURRENCY, type BenchContext } from '../lib/context.js';
import { runDriver, runExternal, type ExternalResult } from '../lib/measured.js';
import { startEmulatorProcess, type EmulatorProcess } from '../lib/processes.js';
import { median } from '../lib/stats.js';

/** Issue 16: at least 90% of curl's throughput both ways, in at most 150 MB. */
const THROUGHPUT_TARGET = 0.9;
const RSS_TARGET_MB = 150;
const LARGE_UPLOAD_THRESHOLD = 500_000_000;
const NAME = 'big.bin';
const CONTENT_TYPE = 'application/octet-stream';

async function curlUpload(emu: EmulatorProcess, workspace: string, file: string, size: number): Promise<ExternalResult> {
  const started = performance.now();
  let put: ExternalResult;
  if (size > LARGE_UPLOAD_THRESHOLD) {
    const { uploadUrl: url, fileKey } = await uploadUrl(emu.url, workspace, NAME, size, CONTENT_TYPE);
    // "Expect:" off: curl would otherwise wait a second for a 100-continue the server need not send.
    put = await runExternal('curl', ['-sS', '--fail', '-T', file, '-H', `Content-Type: ${CONTENT_TYPE}`, '-H', 'Expect:', '-o', '/dev/null', url]);
    await confirmUpload(emu.url, workspace, fileKey, NAME, size);
  } else {
    put = await runExternal('curl', [
      '-sS',
      '--fail',
      '-H',
      `Authorization: Bearer ${API_KEY}`,
      '-H',
      'Expect:',
      '-F',
      `workspace_id=${workspace}`,
      '-F',
      `file=@${file};filename=${NAME}`,
      '-o',
      '/dev/null',
      `${emu.url}/v1/files/upload`,
    ]);
  }
  return { ...put, wallMs: performance.now() - started };
}

export async function bigFile(ctx: BenchContext): Promise<void> {
  const size = ctx.sizes.bigFileBytes;
  const sizeLabel = size >= 2 ** 30 ? `${size / 2 ** 30} GB` : `${size / 2 ** 20} MB`;
  const mb = size / 2 ** 20;
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s6'));
  const source = join(ctx.freshDir('s6-source'), NAME);
  const fd = openSync(source, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  try {
    let uploadedTo = '';
    const up = await alternate(
      ctx.runs,
      async (run): Promise<DriverResult> => {
        const ws = ctx.freshWorkspace();
        const root = ctx.freshDir('s6-up');
        execFileSync('ln', [source, join(root, NAME)]);
        try {
          const r = await runDriver(
            { mode: 'sync-once', root, server: emu.url, workspace: ws, apiKey: API_KEY, concurrency: CONCURRENCY },
            `s6-upload-run${run}`,
          );
          if (!r.ok || r.bytes !== size) throw new Error(`wsync upload of ${sizeLabel}: ${r.detail}`);
          uploadedTo = ws;
          return r;
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
      async () => {
        const ws = ctx.freshWorkspace();
        const r = await curlUpload(emu, ws, source, size);
        if ((await emu.count(ws)) !== 1) throw new Error('curl upload: the file is not listed');
        return r;
      },
      [emu.pid],
    );
    const down = await alternate(
      ctx.runs,
      async (run): Promise<DriverResult> => {
        const root = ctx.freshDir('s6-down');
        try {
          const r = await runDriver(
            { mode: 'sync-once', root, server: emu.url, workspace: uploadedTo, apiKey: API_KEY, concurrency: CONCURRENCY },
            `s6-download-run${run}`,
          );
          if (!r.ok || r.bytes !== size) throw new Error(`wsync download of ${sizeLabel}: ${r.detail}`);
          return r;
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
      async () => {
        const target = join(ctx.freshDir('s6-curl-down'), NAME);
        const started = performance.now();
        const url = await downloadUrl(emu.url, uploadedTo, NAME);
        const r = await runExternal('curl', ['-sS', '--fail', '-o', target, url]);
        rmSync(target, { force: true });
        return { ...r, wallMs: performance.now() - started };
      },
      [emu.pid],
    );
    for (const [label, runs] of [
      ['upload', up],
      ['download', down],
    ] as const) {
      const load = median(runs.load);
      const w = median(runs.wsync.map((r) => mb / (r.wallMs / 1000)));
      const c = median(runs.baseline.map((r) => mb / (r.wallMs / 1000)));
      const flow = label === 'upload' ? (size > LARGE_UPLOAD_THRESHOLD ? ', three-step' : ', multipart') : '';
      ctx.record({
        scenario: 6,
        measure: `${sizeLabel} ${label}${flow}: throughput`,
        value: w,
        unit: 'MB/s',
        baseline: { name: 'curl', value: c },
        ratio: w / c,
        target: { text: `≥ ${THROUGHPUT_TARGET * 100}% of curl`, met: w / c >= THROUGHPUT_TARGET },
        runs: runs.wsync.map((r) => mb / (r.wallMs / 1000)),
        load,
      });
      const cpu = median(runs.wsync.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000));
      ctx.record({
        scenario: 6,
        measure: `${sizeLabel} ${label}: CPU time`,
        value: cpu,
        unit: 's',
        baseline: { name: 'curl', value: median(runs.baseline.map((r) => r.cpuMs / 1000)) },
        runs: runs.wsync.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000),
        note: `the emulator's meanwhile: ${(median(runs.serverCpuMs.wsync) / 1000).toFixed(1)} s for wsync, ${(median(runs.serverCpuMs.baseline) / 1000).toFixed(1)} s for curl`,
        load,
      });
      const rss = median(runs.wsync.map((r) => r.peakRssMb));
      ctx.record({
        scenario: 6,
        measure: `${sizeLabel} ${label}: peak RSS`,
        value: rss,
        unit: 'MB',
        baseline: { name: 'curl', value: median(runs.baseline.map((r) => r.peakRssMb)) },
        target: { text: `≤ ${RSS_TARGET_MB} MB`, met: rss <= RSS_TARGET_MB },
        runs: runs.wsync.map((r) => r.peakRssMb),
        load,
      });
    }
  } finally {
    await emu.stop();
  }
}
