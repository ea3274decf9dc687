/**
 * `wsync watch --server URL --workspace ID --dir FOLDER`: keeps the folder in step until SIGINT
 * or SIGTERM, then stops cleanly (transfers abandoned safely, database closed) and exits 0.
 * On a terminal it draws a live display; piped, one line per completed operation; with --json,
 * every status change as one JSON line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { FolderStatus } from '../shared/status.js';
import { WsyncError } from '../engine/errors.js';
import { createFilesApi } from '../engine/api/client.js';
import { createFileLogger } from '../engine/log/file-logger.js';
import { createFolderController } from '../engine/sync/folder-controller.js';
import { activityLine, createLiveProgress, newActivity, stateLine } from './status-format.js';

export interface WatchFlags {
  server: string;
  workspace: string;
  dir: string;
  apiKeyFile?: string;
  prefix?: string;
  concurrency?: number;
  json?: boolean;
  pollInterval?: number;
  uploadLimit?: number;
  downloadLimit?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** What a terminal or a pipe offers the watch display, and how shutdown is signalled. */
export interface WatchIo {
  write: (text: string) => void;
  error: (text: string) => void;
  isTTY: boolean;
  columns: () => number;
  /** Resolves with the first shutdown signal's name. */
  shutdown: Promise<string>;
}

/** The same status as `sync --once` when the key is refused. */
const EXIT_AUTH = 3;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

function logLevel(value: string): WatchFlags['logLevel'] {
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

const usage = (message: string): WsyncError => new WsyncError('fatal', message, { code: 'USAGE' });

function readApiKey(apiKeyFile: string | undefined): string {
  if (apiKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(apiKeyFile, 'utf8');
    } catch (err) {
      throw usage(`cannot read the API key file ${apiKeyFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const key = text.trim();
    if (key === '') throw usage(`the API key file ${apiKeyFile} is empty`);
    return key;
  }
  const key = process.env.WSYNC_API_KEY?.trim();
  if (key === undefined || key === '') throw usage('no API key: set WSYNC_API_KEY or pass --api-key-file PATH');
  return key;
}

/** Draws status changes for a person or a program, in the form `io` calls for. */
function createDisplay(flags: WatchFlags, io: WatchIo): { show: (s: FolderStatus) => void; end: (s: FolderStatus) => void } {
  if (flags.json) {
    return { show: (s) => io.write(`${JSON.stringify(s)}\n`), end: () => undefined };
  }
  let lastActivity = Number.POSITIVE_INFINITY;
  let lastState = '';
  const printNews = (s: FolderStatus): string => {
    if (lastActivity === Number.POSITIVE_INFINITY) lastActivity = s.recent[0]?.id ?? 0; // history is not news
    const news = newActivity(s, lastActivity);
    if (news.length > 0) lastActivity = news[news.length - 1]?.id ?? lastActivity;
    return news.map((a) => `${activityLine(a)}\n`).join('');
  };
  if (!io.isTTY) {
    return {
      show(s) {
        let text = printNews(s);
        const state = stateLine(s);
        if (state !== lastState && s.state !== 'syncing') text += `${new Date().toISOString()}  ${state}\n`;
        if (s.state !== 'syncing') lastState = state;
        if (text) io.write(text);
      },
      end: () => undefined,
    };
  }
  const live = createLiveProgress();
  let drawn = 0;
  let pending: FolderStatus | null = null;
  let timer: NodeJS.Timeout | null = null;
  const draw = (s: FolderStatus): void => {
    const frame = live.frame(s, io.columns());
    const clear = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    io.write(`${clear}${printNews(s)}${frame.join('\n')}\n`);
    drawn = frame.length;
  };
  return {
    show(s) {
      pending = s;
      timer ??= setTimeout(() => {
        timer = null;
        if (pending) draw(pending);
      }, 100);
    },
    end(s) {
      if (timer) clearTimeout(timer);
      draw(s);
    },
  };
}

/** Runs until `io.shutdown` resolves (exit 0), or until the key is refused (exit 3). */
export async function runWatch(flags: WatchFlags & { apiKey: string }, io: WatchIo): Promise<number> {
  const apiKey = flags.apiKey;
  const dir = resolve(flags.dir);
  const logger = createFileLogger({ dir, secrets: [apiKey], level: flags.logLevel ?? 'info' });
  const controller = createFolderController({
    id: dir,
    dir,
    server: flags.server,
    workspace: flags.workspace,
    prefix: flags.prefix ?? '',
    api: (bandwidth) => createFilesApi({ server: flags.server, workspace: flags.workspace, apiKey, bandwidth }),
    logger,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(flags.pollInterval === undefined ? {} : { poll: { intervalMs: flags.pollInterval * 1000 } }),
    bandwidth: { uploadBps: flags.uploadLimit ?? 0, downloadBps: flags.downloadLimit ?? 0 },
  });
  const display = createDisplay(flags, io);
  let refused: (message: string) => void = () => undefined;
  const signedOut = new Promise<string>((resolveRefused) => (refused = resolveRefused));
  const unsubscribe = controller.subscribe((status) => {
    display.show(status);
    // Nothing more can happen until the key is replaced, which a CLI run cannot do: stop and say so.
    if (status.state === 'signed-out') refused(status.message ?? 'the API key was refused');
  });
  logger.info({ dir, server: flags.server, workspace: flags.workspace, prefix: flags.prefix ?? '' }, 'watch started');
  let signal = '';
  let code = 0;
  try {
    await Promise.race([controller.start(), io.shutdown]);
    signal = await Promise.race([io.shutdown, signedOut.then((message) => {
      io.error(`wsync: ${message}\n`);
      code = EXIT_AUTH;
      return 'signed-out';
    })]);
  } finally {
    await controller.stop();
    unsubscribe();
    display.end(controller.snapshot());
    logger.info({ signal }, 'watch stopped');
    await logger.close();
  }
  if (!flags.json && !io.isTTY) io.write(`${new Date().toISOString()}  stopped (${signal})\n`);
  return code;
}

function positiveInt(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name}: expected a whole number of at least ${min}`);
    return n;
  };
}

/** Resolves on the first SIGINT or SIGTERM; the handlers stay so a second signal does not kill mid-stop. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (name: NodeJS.Signals) => () => resolveSignal(name);
    process.on('SIGINT', on('SIGINT'));
    process.on('SIGTERM', on('SIGTERM'));
  });
}

/** The process's own terminal or pipes, stopped by SIGINT or SIGTERM. */
export function processIo(): WatchIo {
  return {
    write: (t) => process.stdout.write(t),
    error: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    columns: () => (process.stdout.columns > 0 ? process.stdout.columns : 100),
    shutdown: shutdownSignal(),
  };
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('keep a folder in sync with a workspace until interrupted (SIGINT/SIGTERM)')
    .requiredOption('--server <url>', 'Files API server URL')
    .requiredOption('--workspace <id>', 'workspace id')
    .requiredOption('--dir <folder>', 'local folder to sync (created if missing)')
    .option('--api-key-file <path>', 'read the API key from this file (default: $WSYNC_API_KEY)')
    .option('--prefix <folder>', 'mirror only this folder of the workspace')
    .option('--concurrency <n>', 'transfers at once', positiveInt('--concurrency', 1))
    .option('--poll-interval <seconds>', 'remote poll interval (at least 5; default 30)', positiveInt('--poll-interval', 5))
    .option('--upload-limit <bytesPerSecond>', 'upload bandwidth limit (0 = none)', positiveInt('--upload-limit', 0))
    .option('--download-limit <bytesPerSecond>', 'download bandwidth limit (0 = none)', positiveInt('--download-limit', 0))
    .option('--log-level <level>', 'debug, info, warn or error (log in FOLDER/.wsync/logs/)', logLevel, 'info' as const)
    .option('--json', 'print every status change as one JSON line')
    .action(async (flags: WatchFlags) => {
      const apiKey = readApiKey(flags.apiKeyFile);
      process.exitCode = await runWatch({ ...flags, apiKey, server: flags.server.replace(/\/+$/, '') }, processIo());
    });
}
