/**
 * What the notifications already said, kept in `notifications.json` in the user data folder so
 * that a folder still signed out (or deletions still held) is not announced again at every launch.
 * A file that cannot be read starts from nothing: at worst, one notification is repeated.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_MEMORY, NotifyMemorySchema, type NotifyMemory } from './notify-policy.js';

export interface NotifyMemoryStore {
  get(): NotifyMemory;
  /** Keeps `memory`; written to disk when it differs from what was written last. */
  set(memory: NotifyMemory): void;
  /** Resolves once everything set so far is on disk. */
  flush(): Promise<void>;
}

export async function openNotifyMemory(userDataDir: string): Promise<NotifyMemoryStore> {
  const file = join(userDataDir, 'notifications.json');
  let current: NotifyMemory = EMPTY_MEMORY;
  try {
    const parsed = NotifyMemorySchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) current = parsed.data;
  } catch {
    // Missing or unreadable: nothing was said yet, as far as we know.
  }
  let written = JSON.stringify(current);
  let writing: Promise<void> = Promise.resolve();

  const write = (): void => {
    // Chained, so that an older memory never lands after a newer one; each write takes the latest.
    writing = writing
      .then(async () => {
        const text = JSON.stringify(current);
        if (text === written) return;
        await mkdir(userDataDir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, text, { mode: 0o600 });
        await rename(temp, file);
        written = text;
      })
      .catch(() => undefined);
  };

  return {
    get: () => current,
    set(memory) {
      current = memory;
      if (JSON.stringify(memory) !== written) write();
    },
    flush: () => writing,
  };
}
