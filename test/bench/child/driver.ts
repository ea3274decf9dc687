/**
 * The measured side of the bench, run as its own Node process (bundled by ../lib/driver-bundle.ts,
 * so no TypeScript loader sits in it). argv[2] is a JSON job; one JSON line on stdout is the result.
 *
 * - sync-once: one engine cycle (what `wsync sync --once` runs).
 * - wire-download / wire-upload: the baseline, the least a client can do over the same API with the
 *   same concurrency: list + presigned GET, or multipart POST. No state, no database, no checks.
 */
import { createWriteStream, openAsBlob, readFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import got from 'got';
import { createFilesApi } from '../../../electron/engine/api/client.js';
import { syncOnce as syncFolderOnce } from '../../../electron/engine/sync/once/cycle.js';
import { pool } from '../lib/content.js';

export interface Endpoint {
  server: string;
  workspace: string;
  apiKey: string;
}

export type DriverJob =
  | ({ mode: 'sync-once'; root: string; concurrency: number } & Endpoint)
  | ({ mode: 'wire-download'; root: string; concurrency: number } & Endpoint)
  | ({ mode: 'wire-upload'; root: string; concurrency: number } & Endpoint);

export interface DriverResult {
  wallMs: number;
  files: number;
  bytes: number;
  ok: boolean;
  detail: string;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Peak resident set of this process (VmHWM), in MB. */
  peakRssMb: number;
}

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function finish(started: number, result: Pick<DriverResult, 'files' | 'bytes' | 'ok' | 'detail'>): DriverResult {
  const wallMs = performance.now() - started;
  const usage = process.resourceUsage();
  return { ...result, wallMs, cpuUserMs: usage.userCPUTime / 1000, cpuSystemMs: usage.systemCPUTime / 1000, peakRssMb: peakRssMb() };
}

async function syncOnce(job: Extract<DriverJob, { mode: 'sync-once' }>): Promise<DriverResult> {
  const started = performance.now();
  const api = createFilesApi({ server: job.server, workspace: job.workspace, apiKey: job.apiKey });
  const result = await syncFolderOnce({
    root: job.root,
    server: job.server,
    workspace: job.workspace,
    prefix: '',
    api,
    concurrency: job.concurrency,
  });
  const c = result.counts;
  return finish(started, {
    files: c.uploaded + c.downloaded + c.recorded,
    bytes: result.bytesUploaded + result.bytesDownloaded,
    ok: result.inSync,
    detail: `up ${c.uploaded} down ${c.downloaded} recorded ${c.recorded} failed ${result.failed.length}${result.failed[0] ? ` (${result.failed[0].message})` : ''}`,
  });
}

interface WireFile {
  key: string;
  name: string;
  path?: string;
  size: number;
}

async function wireDownload(job: Extract<DriverJob, { mode: 'wire-download' }>): Promise<DriverResult> {
  const started = performance.now();
  const auth = { authorization: `Bearer ${job.apiKey}` };
  const files: WireFile[] = [];
  let cursor: string | null = null;
  do {
    const searchParams: Record<string, string> = { workspace_id: job.workspace, limit: '1000', ...(cursor ? { cursor } : {}) };
    const page: { files: WireFile[]; next_cursor: string | null } = await got(`${job.server}/v1/files`, { headers: auth, searchParams }).json();
    files.push(...page.files);
    cursor = page.next_cursor;
  } while (cursor);
  const dirs = new Map<string, Promise<unknown>>();
  let bytes = 0;
  await pool(files, job.concurrency, async (file) => {
    const target = join(job.root, `${file.path ?? ''}${file.name}`);
    const dir = dirname(target);
    if (!dirs.has(dir)) dirs.set(dir, mkdir(dir, { recursive: true }));
    await dirs.get(dir);
    const { url }: { url: string } = await got(`${job.server}/v1/files/download`, {
      headers: auth,
      searchParams: { workspace_id: job.workspace, key: file.key },
    }).json();
    await pipeline(got.stream(url), createWriteStream(target));
    bytes += file.size;
  });
  return finish(started, { files: files.length, bytes, ok: true, detail: '' });
}

async function walk(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => (e.isDirectory() ? (e.name === '.wsync' ? [] : walk(root, join(dir, e.name))) : [relative(root, join(dir, e.name))])),
  );
  return nested.flat();
}

async function wireUpload(job: Extract<DriverJob, { mode: 'wire-upload' }>): Promise<DriverResult> {
  const started = performance.now();
  const paths = await walk(job.root);
  let bytes = 0;
  await pool(paths, job.concurrency, async (rel) => {
    const slash = rel.lastIndexOf('/');
    const blob = await openAsBlob(join(job.root, rel));
    const form = new FormData();
    form.set('workspace_id', job.workspace);
    if (slash >= 0) form.set('path', rel.slice(0, slash + 1));
    form.set('file', blob, rel.slice(slash + 1));
    await got.post(`${job.server}/v1/files/upload`, { headers: { authorization: `Bearer ${job.apiKey}` }, body: form });
    bytes += blob.size;
  });
  return finish(started, { files: paths.length, bytes, ok: true, detail: '' });
}

const job = JSON.parse(process.argv[2] ?? '{}') as DriverJob;
const result = job.mode === 'sync-once' ? await syncOnce(job) : job.mode === 'wire-download' ? await wireDownload(job) : await wireUpload(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
