/**
 * `npm run demo`: starts the emulator (data in ./emulator-data), seeds the sample workspace, and
 * runs the built `wsync` program (dist/cli, built by the npm script just before) to keep
 * ./demo-mirror in step with it in watch mode, with the live progress display, until Ctrl-C.
 * `npm run demo -- --once` runs one sync cycle instead, with a summary. Running it again keeps the
 * mirror in step (a quiet rerun transfers nothing): the emulator listens on the same port every
 * time (`--port` to choose another), since ./demo-mirror stays bound to the server it synced with.
 * WSYNC_DEMO_CLI names another build of the program (the tests run the one they built).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_KEYS } from '../emulator/types.js';
import { startEmulator } from '../emulator/index.js';
import { seedSampleWorkspace } from '../emulator/seed.js';
import { CLI_ENTRY } from './build-cli.js';

const WORKSPACE = 'ws_demo';
const DEMO_PORT = 47831;
const cli = process.env.WSYNC_DEMO_CLI ?? join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'cli', CLI_ENTRY);

function demoFlags(): { once: boolean; port: number } {
  const { values } = parseArgs({ options: { once: { type: 'boolean', default: false }, port: { type: 'string', default: String(DEMO_PORT) } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port ${values.port}: give a port number from 1 to 65535`);
  return { once: values.once, port };
}

async function startDemoEmulator(dataDir: string, port: number): ReturnType<typeof startEmulator> {
  try {
    return await startEmulator({ dataDir, port });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') {
      throw new Error(`port ${port} is in use, most likely by another \`npm run demo\`: stop it and run the demo again`, { cause: err });
    }
    throw err;
  }
}

/** Runs wsync with the terminal as its own; Ctrl-C reaches it (the same process group) and it stops cleanly. */
function runWsync(args: string[], key: string): Promise<number> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, WSYNC_API_KEY: key } });
  const ignore = (): void => undefined; // wsync decides when to stop; the emulator stays up until it has
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise((resolveCode) =>
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
      resolveCode(code ?? (signal === 'SIGINT' ? 130 : 1));
    }),
  );
}

async function demo(): Promise<number> {
  const flags = demoFlags();
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build:cli\` first (npm run demo does)`);
  const dataDir = resolve('emulator-data');
  const mirror = resolve('demo-mirror');
  const key = DEFAULT_KEYS[0]?.key;
  if (key === undefined) throw new Error('the emulator has no default key');
  const emu = await startDemoEmulator(dataDir, flags.port);
  try {
    await seedSampleWorkspace(emu);
    const files = emu.admin.list(WORKSPACE);
    process.stdout.write(`emulator at ${emu.url} (data in ${dataDir}); ${files.length} files in ${WORKSPACE}\n`);
    const folder = ['--server', emu.url, '--workspace', WORKSPACE, '--dir', mirror];
    if (!flags.once) {
      process.stdout.write(`watching ${mirror}: edit files there, or in the workspace; Ctrl-C to stop\n`);
      return await runWsync(['watch', ...folder], key);
    }
    process.stdout.write(`syncing into ${mirror}\n`);
    const started = Date.now();
    const code = await runWsync(['sync', '--once', ...folder], key);
    const c = emu.counters();
    process.stdout.write(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code}); ` +
        `requests: ${c.list} list, ${c.upload} upload, ${c['download-url']} download, ${c.delete} delete\n`,
    );
    return code;
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
