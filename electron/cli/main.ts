/**
 * The headless CLI's commands: `wsync sync --once --server URL --workspace ID --dir FOLDER`.
 * Prints only its own output; exit statuses are in exit-codes.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createFilesApi } from '../engine/api/client.js';
import { WsyncError, isWsyncError } from '../engine/errors.js';
import { runCycle } from '../engine/sync/cycle.js';
import { EXIT, exitCodeForError, exitCodeForResult } from './exit-codes.js';
import { formatPlan, formatProblems, formatSummary, toJson } from './output.js';
import { createProgress } from './progress.js';
import { registerStatusCommand } from './status-command.js';
import { registerWatchCommand } from './watch-command.js';

interface SyncFlags {
  once?: boolean;
  server: string;
  workspace: string;
  dir: string;
  apiKeyFile?: string;
  prefix?: string;
  concurrency: number;
  dryRun?: boolean;
  json?: boolean;
  confirmDeletes?: boolean;
}

const usage = (message: string) => new WsyncError('fatal', message, { code: 'USAGE' });

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function parseServer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

function readApiKey(flags: SyncFlags): string {
  if (flags.apiKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.apiKeyFile, 'utf8');
    } catch (err) {
      throw usage(`cannot read the API key file ${flags.apiKeyFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const key = text.trim();
    if (key === '') throw usage(`the API key file ${flags.apiKeyFile} is empty`);
    return key;
  }
  const key = process.env.WSYNC_API_KEY?.trim();
  if (key === undefined || key === '') throw usage('no API key: set WSYNC_API_KEY or pass --api-key-file PATH');
  return key;
}

async function sync(flags: SyncFlags): Promise<number> {
  if (flags.once !== true) throw usage('pass --once for one cycle, or use `wsync watch` to keep the folder in sync');
  const apiKey = readApiKey(flags);
  const root = resolve(flags.dir);
  const api = createFilesApi({ server: flags.server, workspace: flags.workspace, apiKey });
  const showProgress = !flags.dryRun && (!flags.json || process.stderr.isTTY === true);
  const progress = createProgress({ write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true });
  let result;
  try {
    result = await runCycle({
      root,
      server: flags.server,
      workspace: flags.workspace,
      prefix: flags.prefix ?? '',
      api,
      concurrency: flags.concurrency,
      dryRun: flags.dryRun === true,
      confirmDeletes: flags.confirmDeletes === true,
      ...(showProgress ? { onEvent: progress.onEvent } : {}),
    });
  } finally {
    progress.end();
  }
  const code = exitCodeForResult(result, flags.dryRun === true);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(toJson(result, code, flags.dryRun === true))}\n`);
    return code;
  }
  const out = flags.dryRun ? formatPlan(result.plan) : formatSummary(result);
  process.stdout.write(out.map((l) => `${l}\n`).join(''));
  const problems = flags.dryRun ? [] : formatProblems(result);
  process.stderr.write(problems.map((l) => `wsync: ${l}\n`).join(''));
  return code;
}

export function describeFailure(err: unknown): string {
  if (isWsyncError(err, 'auth')) {
    return `the server refused the API key${err.status === undefined ? '' : ` (${err.status})`}; nothing was changed locally`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('wsync')
    .description('Two-way sync between a local folder and a Files API workspace')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let code: number = EXIT.inSync;
  program
    .command('sync')
    .description('sync a folder with a workspace')
    .option('--once', 'run one sync cycle and exit')
    .requiredOption('--server <url>', 'Files API server URL', parseServer)
    .requiredOption('--workspace <id>', 'workspace id')
    .requiredOption('--dir <folder>', 'local folder to sync (created if missing)')
    .option('--api-key-file <path>', 'read the API key from this file (default: $WSYNC_API_KEY)')
    .option('--prefix <folder>', 'mirror only this folder of the workspace')
    .option('--concurrency <n>', 'transfers at once (1-64)', parseConcurrency, 4)
    .option('--dry-run', 'print the plan (with its decision-table rows) and change nothing')
    .option('--json', 'print the result as one JSON object on stdout')
    .option('--confirm-deletes', 'let deletions held by the mass-delete guard go ahead')
    .exitOverride()
    .action(async (flags: SyncFlags) => {
      code = await sync(flags);
    });
  registerStatusCommand(program);
  registerWatchCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    // `status` and `watch` report through process.exitCode.
    if (typeof process.exitCode === 'number' && code === EXIT.inSync) code = process.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.inSync : EXIT.usage;
    }
    process.stderr.write(`wsync: ${describeFailure(err)}\n`);
    if (process.env.WSYNC_DEBUG && err instanceof Error && !isWsyncError(err)) process.stderr.write(`${err.stack ?? ''}\n`);
    return exitCodeForError(err);
  }
  return code;
}

