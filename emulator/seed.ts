import type { Emulator } from './types.js';

export const SAMPLE_WORKSPACE = 'ws_demo';

export interface SeedResult {
  /** False when the workspace had files and nothing was written. */
  seeded: boolean;
  files: number;
  bytes: number;
}

interface SampleFile {
  path: string;
  size: number;
}

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  return h >>> 0;
}

const WORDS = ['sample', 'read', 'depth', 'allele', 'gene', 'run', 'lane', 'quality', 'chrom', 'variant', 'batch', 'ratio'];

/** Readable text lines, the same for the same path every time. */
function textContent(path: string, size: number): Buffer {
  const next = prng(hashOf(path));
  const lines: string[] = [`# ${path}`];
  let length = lines[0]?.length ?? 0;
  while (length < size) {
    const word = WORDS[Math.floor(next() * WORDS.length)] ?? 'x';
    const line = `${word}\t${Math.floor(next() * 100000)}\t${next().toFixed(6)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8').subarray(0, size);
}

/** Incompressible bytes for the large files, generated rather than committed. */
function binaryContent(path: string, size: number): Buffer {
  const next = prng(hashOf(path));
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE(Math.floor(next() * 4294967296), i);
  for (let i = size - (size % 4); i < size; i += 1) out[i] = Math.floor(next() * 256);
  return out;
}

const SMALL_FOLDERS = [
  'raw/run-01/',
  'raw/run-02/',
  'raw/run 03 (rerun)/',
  'results/',
  'results/plots/',
  'résultats/',
  '数据/',
  'notes with spaces/',
  'deep/a/b/c/d/',
  '',
];

const NAMED_FILES = [
  'résultats/échantillon 1.vcf',
  'résultats/échantillon 2.vcf',
  '数据/读取.txt',
  '数据/样本 列表.csv',
  'notes with spaces/meeting notes 2024-05-01.md',
  'Ωmega/naïve café.txt',
  'deep/a/b/c/d/leaf.txt',
];

const LARGE_FILES: SampleFile[] = [
  { path: 'large/reads_R1.fastq.bin', size: 4 * 1024 * 1024 },
  { path: 'large/reads_R2.fastq.bin', size: 4 * 1024 * 1024 },
  { path: 'large/genome index.idx', size: 3 * 1024 * 1024 + 17 },
  { path: 'résultats/alignement final.bam', size: 5 * 1024 * 1024 },
  { path: '数据/大文件.dat', size: 2 * 1024 * 1024 + 5 },
];

/** The sample workspace: about 300 small files, a few large ones, odd but valid names. */
export function sampleFiles(): SampleFile[] {
  const files: SampleFile[] = [];
  const next = prng(42);
  for (let i = 0; i < 290; i += 1) {
    const folder = SMALL_FOLDERS[i % SMALL_FOLDERS.length] ?? '';
    const ext = ['txt', 'csv', 'tsv', 'json'][i % 4] ?? 'txt';
    files.push({ path: `${folder}file_${String(i).padStart(3, '0')}.${ext}`, size: 200 + Math.floor(next() * 3800) });
  }
  for (const path of NAMED_FILES) files.push({ path, size: 300 + Math.floor(next() * 2000) });
  files.push(...LARGE_FILES);
  return files;
}

/**
 * Fills `workspace` with the demo's sample files through the admin interface (no HTTP, not
 * counted), only when it has no files: one that has any was seeded before, or holds the user's
 * own, and the samples would be written over their edits and bring back what they deleted.
 */
export async function seedSampleWorkspace(emulator: Emulator, workspace: string = SAMPLE_WORKSPACE): Promise<SeedResult> {
  if (emulator.admin.list(workspace).length > 0) {
    return { seeded: false, files: 0, bytes: 0 };
  }
  let bytes = 0;
  const files = sampleFiles();
  for (const file of files) {
    const content = LARGE_FILES.includes(file) ? binaryContent(file.path, file.size) : textContent(file.path, file.size);
    await emulator.admin.put(workspace, file.path, content);
    bytes += content.length;
  }
  const readme = Buffer.from('Sample workspace for the wsync demo: nested folders, odd names, a few large files.\n');
  await emulator.admin.put(workspace, 'README.txt', readme);
  return { seeded: true, files: files.length + 1, bytes: bytes + readme.length };
}
