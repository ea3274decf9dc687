/**
 * The emulator in its own process, so that its CPU and memory are never counted as wsync's.
 * Options arrive as JSON in argv[2]; the parent seeds and inspects it over IPC (see
 * ../lib/emulator-process.ts). SIGTERM closes it cleanly.
 */
import { startEmulator } from '../../../emulator/index.js';
import type { EmulatorOptions } from '../../../emulator/types.js';
import { fileBytes, pool, treeFiles, type TreeSpec } from '../lib/content.js';

export type LauncherRequest =
  | { id: number; op: 'seed'; workspace: string; tree: TreeSpec }
  | { id: number; op: 'put'; workspace: string; path: string; text: string }
  | { id: number; op: 'count'; workspace: string };

export type LauncherReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emu = await startEmulator(options);

async function handle(request: LauncherRequest): Promise<unknown> {
  switch (request.op) {
    case 'seed':
      await pool(treeFiles(request.tree), 16, async ({ index, path }) => {
        await emu.admin.put(request.workspace, path, fileBytes(index, request.tree.size));
      });
      return emu.admin.list(request.workspace).length;
    case 'put':
      return (await emu.admin.put(request.workspace, request.path, request.text)).etag;
    case 'count':
      return emu.admin.list(request.workspace).length;
  }
}

process.on('message', (message: LauncherRequest) => {
  handle(message).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies LauncherReply),
    (err: unknown) => process.send?.({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies LauncherReply),
  );
});
const shutdown = () => void emu.close().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
// The bench died without stopping us: do not outlive it.
process.on('disconnect', shutdown);
process.send?.({ ready: true, url: emu.url });
