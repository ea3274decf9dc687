/**
 * "Create debug archive": one .tar.gz a user can send to whoever helps them, with the folders'
 * logs, their statuses and the settings, and never an API key or a presigned URL. Every file is
 * scrubbed again on the way in (the logs are scrubbed when written; a second pass costs little and
 * also catches anything a future log line forgets), keys by value and URL query strings by form.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { folderLayout } from '../engine/local/folder-layout.js';
import { redactText, redactValue } from '../engine/log/redact.js';
import type { FolderStatus } from '../shared/status.js';

export interface DebugArchiveInput {
  destination: string;
  about: Record<string, string>;
  /** The settings as the renderer may see them (no key, not even encrypted). */
  settings: unknown;
  statuses: readonly FolderStatus[];
  folders: readonly { id: string; dir: string }[];
  /** Values that must not appear anywhere in the archive (the folders' API keys). */
  secrets: readonly string[];
}

/** Newest logs first, up to this much per folder. */
const LOG_BYTES_PER_FOLDER = 20_000_000;

async function folderLogs(dir: string): Promise<{ name: string; path: string }[]> {
  const logs = folderLayout(dir).logs;
  let names: string[];
  try {
    names = await readdir(logs);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names
      .filter((n) => n.endsWith('.log') || /\.log\.\d+$/.test(n) || n.includes('wsync.log'))
      .map(async (name) => {
        const st = await stat(join(logs, name)).catch(() => null);
        return st?.isFile() ? { name, path: join(logs, name), mtime: st.mtimeMs, size: st.size } : null;
      }),
  );
  const kept: { name: string; path: string }[] = [];
  let used = 0;
  for (const f of files.filter((x): x is NonNullable<typeof x> => x !== null).sort((a, b) => b.mtime - a.mtime)) {
    if (kept.length > 0 && used + f.size > LOG_BYTES_PER_FOLDER) break;
    kept.push(f);
    used += f.size;
  }
  return kept;
}

export async function createDebugArchive(input: DebugArchiveInput): Promise<string> {
  const staging = await mkdtemp(join(tmpdir(), 'wsync-debug-'));
  const root = join(staging, 'wsync-debug');
  const scrub = (text: string): string => redactText(text, input.secrets);
  const json = (value: unknown): string => `${JSON.stringify(redactValue(value, input.secrets), null, 2)}\n`;
  try {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'about.json'), json(input.about));
    await writeFile(join(root, 'settings.json'), json(input.settings));
    await writeFile(join(root, 'status.json'), json(input.statuses));
    for (const folder of input.folders) {
      const target = join(root, 'logs', folder.id);
      await mkdir(target, { recursive: true });
      for (const log of await folderLogs(folder.dir)) {
        await writeFile(join(target, log.name), scrub(await readFile(log.path, 'utf8')));
      }
    }
    await create({ gzip: true, file: input.destination, cwd: staging, portable: true }, ['wsync-debug']);
    return input.destination;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
