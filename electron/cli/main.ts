/**
 * The headless CLI's commands: `wsync sync --once`, `wsync watch`, `wsync status`.
 *
 * Only the command line is parsed here. Each command's code (and the engine, SQLite, the HTTP
 * client) is imported by its action, when that command runs: `wsync --help` and `wsync --version`
 * load nothing else. Exit statuses are in exit-codes.ts.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from './exit-codes.js';
import {
  addFolderOptions,
  addOutputOptions,
  addStatusOptions,
  addWatchOptions,
  type StatusFlags,
  type SyncFlags,
  type WatchFlags,
} from './options.js';
import { VERSION } from './version.js';

export interface CliProcess {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function jsonError(exitCode: number, kind: string, message: string): string {
  return `${JSON.stringify({ exitCode, error: { kind, message } })}\n`;
}

export async function main(argv: string[], proc: Omit<CliProcess, 'argv'> = { cwd: process.cwd(), env: process.env }): Promise<number> {
  let code: number = EXIT.inSync;
  const program = new Command('wsync')
    .description('Two-way sync between a local folder and a Files API workspace')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  const sync = program
    .command('sync')
    .description('sync a folder with a workspace once (--once) and exit')
    .option('--once', 'run one sync cycle and exit')
    .option('--dry-run', 'print the plan (with its decision-table rows) and change nothing')
    .option('--confirm-deletes', 'let deletions held by the mass-delete guard go ahead');
  addOutputOptions(addFolderOptions(sync), 'print the result, or the error, as one JSON object on stdout').action(async (flags: SyncFlags) => {
    if (flags.once !== true) {
      const message = 'pass --once for one cycle, or use `wsync watch` to keep the folder in sync';
      if (flags.json) process.stdout.write(jsonError(EXIT.usage, 'usage', message));
      process.stderr.write(`wsync: ${message}\n`);
      code = EXIT.usage;
      return;
    }
    const { runSyncCommand } = await import('./sync-command.js');
    code = await runSyncCommand(flags, proc);
  });

  const watch = program.command('watch').description('keep a folder in sync with a workspace until interrupted (Ctrl-C or SIGTERM)');
  addOutputOptions(addWatchOptions(addFolderOptions(watch)), 'print every status change as one JSON line').action(async (flags: WatchFlags) => {
    const { runWatchCommand } = await import('./watch-command.js');
    code = await runWatchCommand(flags, proc);
  });

  const status = program.command('status').description("show a folder's sync status from what it keeps and a look at its files (no network)");
  addOutputOptions(addStatusOptions(status), 'print the status as one JSON object').action(async (flags: StatusFlags) => {
    const { runStatusCommand } = await import('./status-command.js');
    code = await runStatusCommand(flags, proc);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return EXIT.inSync; // --help, --version
    if (argv.includes('--json')) process.stdout.write(jsonError(EXIT.usage, 'usage', err.message.replace(/^error: /, '')));
    return EXIT.usage;
  }
  return code;
}
