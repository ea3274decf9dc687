/**
 * `npm run emulator -- --port 8080 --data ./emulator-data [--config emulator.json] [--seed]`:
 * the Files API emulator as a long-running local server.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseConfigFile, resolveOptions, type CliFlags } from './config.js';
import { startEmulator } from './emulator.js';
import { seedSampleWorkspace } from './seed.js';
import { DEFAULT_KEYS } from './types.js';

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface RawFlags extends CliFlags {
  config?: string;
  seed: boolean;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('emulator')
    .description('Local Files API emulator for wsync')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', positiveInt, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-d, --data <dir>', 'folder for blobs and the metadata database', './emulator-data')
    .option('-c, --config <file>', 'JSON config: keys, workspaces, maxUploadBytes, presignTtlSeconds, storage, etags')
    .option('-k, --key <key>', 'API key with the files scope (repeatable; replaces configured keys)', collect, [])
    .option('-w, --workspace <id>', 'workspace the server holds (repeatable)', collect, [])
    .option('--max-upload-bytes <n>', 'multipart upload limit (413 above)', positiveInt)
    .option('--presign-ttl <seconds>', 'lifetime of presigned URLs', positiveInt)
    .option('--seed', 'fill the first workspace with the demo sample files (once)', false)
    .parse(argv);
  const flags = program.opts<RawFlags>();

  const file = flags.config === undefined ? null : parseConfigFile(await readFile(flags.config, 'utf8'), flags.config);
  const options = resolveOptions({ ...flags, data: resolve(flags.data) }, file);
  const emulator = await startEmulator({ ...options, log: (line) => process.stderr.write(`${line}\n`) });

  const workspace = options.workspaces?.[0] ?? 'ws_demo';
  if (flags.seed) {
    const seeded = await seedSampleWorkspace(emulator, workspace);
    process.stdout.write(seeded.seeded ? `seeded ${seeded.files} sample files into ${workspace}\n` : `${workspace} has files already: not seeded\n`);
  }
  process.stdout.write(`Files API emulator listening on ${emulator.url}\n`);
  process.stdout.write(`  data:       ${options.dataDir}\n`);
  process.stdout.write(`  storage:    ${options.storage?.kind ?? 'disk'}\n`);
  process.stdout.write(`  workspaces: ${(options.workspaces ?? []).join(', ')}\n`);
  // Only the well-known demo key is shown; configured keys are secrets and never printed.
  const keys = options.keys ?? DEFAULT_KEYS;
  const demo = keys.filter((k) => DEFAULT_KEYS.some((d) => d.key === k.key)).map((k) => k.key);
  const others = keys.length - demo.length;
  if (demo.length > 0) process.stdout.write(`  API key:    ${demo.join(', ')}\n`);
  if (others > 0) process.stdout.write(`  API keys:   ${others} configured (not shown)\n`);
  process.stdout.write(`  try: curl -H 'Authorization: Bearer <key>' '${emulator.url}/v1/files?workspace_id=${workspace}'\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
