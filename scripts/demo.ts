/**
 * `npm run demo`: starts the emulator (data in ./emulator-data), seeds the sample workspace, and
 * keeps ./demo-mirror in step with it in watch mode, with the live progress display, until Ctrl-C.
 * `npm run demo -- --once` runs one sync cycle instead, with a summary. Running it again keeps the
 * mirror in step (a quiet rerun transfers nothing).
 */
import { resolve } from 'node:path';
import { createFilesApi } from '../electron/engine/api/client.js';
import { runCycle } from '../electron/engine/sync/cycle.js';
import { formatProblems, formatSummary } from '../electron/cli/output.js';
import { createProgress } from '../electron/cli/progress.js';
import { processIo, runWatch } from '../electron/cli/watch-command.js';
import { DEFAULT_KEYS } from '../emulator/types.js';
import { startEmulator } from '../emulator/index.js';
import { seedSampleWorkspace } from '../emulator/seed.js';

const WORKSPACE = 'ws_demo';

async function demo(): Promise<number> {
  const dataDir = resolve('emulator-data');
  const mirror = resolve('demo-mirror');
  const key = DEFAULT_KEYS[0]?.key;
  if (key === undefined) throw new Error('the emulator has no default key');
  const emu = await startEmulator({ dataDir });
  try {
    await seedSampleWorkspace(emu);
    const files = emu.admin.list(WORKSPACE);
    process.stdout.write(`emulator at ${emu.url} (data in ${dataDir}); ${files.length} files in ${WORKSPACE}\n`);
    if (!process.argv.includes('--once')) {
      process.stdout.write(`watching ${mirror}: edit files there, or in the workspace; Ctrl-C to stop\n`);
      return await runWatch({ server: emu.url, workspace: WORKSPACE, dir: mirror, apiKey: key }, processIo());
    }
    process.stdout.write(`syncing into ${mirror}\n`);
    const progress = createProgress({ write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true });
    const started = Date.now();
    const result = await runCycle({
      root: mirror,
      server: emu.url,
      workspace: WORKSPACE,
      api: createFilesApi({ server: emu.url, workspace: WORKSPACE, apiKey: key }),
      onEvent: progress.onEvent,
    });
    progress.end();
    for (const line of formatSummary(result)) process.stdout.write(`${line}\n`);
    for (const line of formatProblems(result)) process.stderr.write(`wsync: ${line}\n`);
    const c = emu.counters();
    process.stdout.write(
      `${result.firstSync ? 'first sync' : 'resync'} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `requests: ${c.list} list, ${c.upload} upload, ${c['download-url']} download, ${c.delete} delete\n`,
    );
    return result.inSync ? 0 : 1;
  } finally {
    await emu.close();
  }
}

demo().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
