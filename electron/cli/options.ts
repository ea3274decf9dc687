/**
 * The options every command shares, declared and checked in one place: `sync` and `watch` take
 * the same folder options with the same limits, so a value one command refuses the other refuses
 * too. Only syntax is checked here (commander calls these while parsing); what needs the folder's
 * state database (its remembered binding) is resolved by folder-target.ts. Nothing heavy is
 * imported: `wsync --help` loads this module.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_CONCURRENCY, LARGE_TRANSFERS } from '../engine/execute/concurrency.js';

export const CONCURRENCY = { min: 1, max: 64, default: DEFAULT_CONCURRENCY } as const;
export const POLL_INTERVAL_S = { min: 5, max: 86_400 } as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A parser for a whole number in [min, max]. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `expected a whole number of at least ${min}` : `expected a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

function nonEmpty(what: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError(`expected ${what}`);
    return value;
  };
}

/** What commander hands every command's action. */
export interface OutputFlags {
  json?: boolean;
  verbose?: boolean;
}

export interface FolderFlags extends OutputFlags {
  server?: string;
  workspace?: string;
  dir?: string;
  prefix?: string;
  apiKeyFile?: string;
  concurrency?: number;
  rebind?: boolean;
  allowInsecureHttp?: boolean;
}

export interface SyncFlags extends FolderFlags {
  once?: boolean;
  dryRun?: boolean;
  confirmDeletes?: boolean;
}

export interface WatchFlags extends FolderFlags {
  pollInterval?: number;
  uploadLimit?: number;
  downloadLimit?: number;
  logLevel?: LogLevel;
}

export interface StatusFlags extends OutputFlags {
  dir?: string;
}

const DIR_HELP = 'the local folder (default: the synced folder you are in)';

export function addOutputOptions(command: Command, json: string): Command {
  return command.option('--json', json).option('--verbose', 'also show the decision-table row behind each operation');
}

/** The options of every command that syncs a folder (`sync`, `watch`). */
export function addFolderOptions(command: Command): Command {
  return command
    .option('--server <url>', 'Files API server URL (remembered by the folder after its first sync)', nonEmpty('a URL'))
    .option('--workspace <id>', 'workspace id (remembered like --server)', nonEmpty('a workspace id'))
    .option('--dir <folder>', `${DIR_HELP}; created if its parent exists`, nonEmpty('a folder'))
    .option('--prefix <folder>', 'mirror only this folder of the workspace (remembered like --server)')
    .option('--api-key-file <path>', 'read the API key from this file (default: $WSYNC_API_KEY)', nonEmpty('a file'))
    .addOption(
      new Option(
        '--concurrency <n>',
        `transfers at once, at most (${CONCURRENCY.min}-${CONCURRENCY.max}; files of 4 MB and more: ${LARGE_TRANSFERS})`,
      )
        .argParser(wholeNumber(CONCURRENCY.min, CONCURRENCY.max))
        .default(CONCURRENCY.default),
    )
    .option('--rebind', 'sync a folder with another server, workspace or prefix than the one it remembers')
    .option('--allow-insecure-http', 'allow plain http:// to a server that is not on this machine (the key is sent in clear)');
}

export function addWatchOptions(command: Command): Command {
  return command
    .option(
      '--poll-interval <seconds>',
      `check the workspace for changes at most this often (${POLL_INTERVAL_S.min}-${POLL_INTERVAL_S.max}; default: from what each check costs, every ${POLL_INTERVAL_S.min} s to 2 min)`,
      wholeNumber(POLL_INTERVAL_S.min, POLL_INTERVAL_S.max),
    )
    .option('--upload-limit <bytesPerSecond>', 'upload bandwidth limit (0 = none)', wholeNumber(0))
    .option('--download-limit <bytesPerSecond>', 'download bandwidth limit (0 = none)', wholeNumber(0))
    .addOption(new Option('--log-level <level>', 'log detail in FOLDER/.wsync/logs/').choices(LOG_LEVELS).default('info'));
}

export function addStatusOptions(command: Command): Command {
  return command.option('--dir <folder>', DIR_HELP, nonEmpty('a folder'));
}
