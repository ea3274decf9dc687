/**
 * `wsync watch --server URL --workspace ID --dir FOLDER`: keeps the folder in step until SIGINT
 * or SIGTERM, then stops cleanly (transfers abandoned safely, database closed) and exits 0.
 * On a terminal it draws a live display; piped, one line per completed operation; with --json,
 * every status change as one JSON line.
 */
import type { FolderStatus } from '../shared/status.js';
import { createFilesApi } from '../engine/api/client.js';
import { createFileLogger } from '../engine/log/file-logger.js';
import { createFolderController } from '../engine/sync/background/folder-controller.js';
import { EXIT } from './exit-codes.js';
import { describeFailure, reportFailure, type FailureContext } from './failure.js';
import { resolveFolderTarget, type FolderTarget } from './folder-target.js';
import type { CliProcess } from './main.js';
import type { WatchFlags } from './options.js';
import { checkServer } from './server-check.js';
import { activityLine, createLiveProgress, newActivity, stateLine } from './status-format.js';

/** What a terminal or a pipe offers the watch display, and how shutdown is signalled. */
export interface WatchIo {
  write: (text: string) => void;
  error: (text: string) => void;
  isTTY: boolean;
  columns: () => number;
  /** Resolves with the first shutdown signal's name. */
  shutdown: Promise<string>;
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
export async function runWatch(flags: WatchFlags, target: FolderTarget, io: WatchIo): Promise<number> {
  const { apiKey, dir } = target;
  const logger = createFileLogger({ dir, secrets: [apiKey], level: flags.logLevel ?? 'info' });
  const controller = createFolderController({
    id: dir,
    dir,
    server: target.server,
    workspace: target.workspace,
    prefix: target.prefix,
    rebind: target.rebind,
    api: (bandwidth) => createFilesApi({ server: target.server, workspace: target.workspace, apiKey, bandwidth }),
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
  logger.info({ dir, server: target.server, workspace: target.workspace, prefix: target.prefix }, 'watch started');
  let signal = '';
  let code = 0;
  try {
    await Promise.race([controller.start(), io.shutdown]);
    signal = await Promise.race([io.shutdown, signedOut.then((message) => {
      io.error(`wsync: ${message}\n`);
      code = EXIT.auth;
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

export async function runWatchCommand(flags: WatchFlags, proc: Omit<CliProcess, 'argv'>): Promise<number> {
  const context: FailureContext = {};
  const failed = (err: unknown): number =>
    reportFailure(describeFailure(err, context), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, flags.json === true);
  let target: FolderTarget;
  try {
    target = resolveFolderTarget(flags, { cwd: proc.cwd, env: proc.env, write: true });
    Object.assign(context, { server: target.server, workspace: target.workspace });
    await checkServer(target);
  } catch (err) {
    return failed(err);
  }
  try {
    // The folder is taken when the watch starts: another engine's hold or a binding elsewhere is a set-up failure.
    return await runWatch(flags, target, processIo());
  } catch (err) {
    return failed(err);
  }
}
