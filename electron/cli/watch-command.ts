/**
 * `wsync watch`: keeps the folder in step until SIGINT or SIGTERM, then stops cleanly (transfers
 * abandoned safely, database closed) and exits 0. What it shows is watch-display.ts's.
 *
 * Before the controller starts, the server is contacted once (server-check.ts): a set-up mistake
 * ends the run at once (exit 2 or 3). A folder that has synced before and whose server cannot be
 * reached right now (a laptop offline) waits, saying so, and tries again with the poll's back-off.
 * SIGCONT syncs now (what the controller's wake-policy says a resume does); off a terminal SIGHUP
 * reloads the ignore rules (at one, it hung up: the run stops). A wake also cuts that offline wait short.
 */
import type { FolderStatus } from '../shared/status.js';
import { createFilesApi } from '../engine/api/client.js';
import { connectionFailure } from '../engine/api/errors.js';
import { createFileLogger } from '../engine/log/file-logger.js';
import { createFolderController } from '../engine/sync/background/folder-controller.js';
import { DEFAULT_POLL_CONFIG, initialPollState, nextPoll } from '../engine/sync/background/poll-budget.js';
import type { WakeReason } from '../engine/sync/background/wake-policy.js';
import { EXIT } from './exit-codes.js';
import { describeFailure, reportFailure, type FailureContext } from './failure.js';
import { resolveFolderTarget, type FolderTarget } from './folder-target.js';
import type { CliProcess } from './main.js';
import type { WatchFlags } from './options.js';
import { checkServer } from './server-check.js';
import { createWatchDisplay } from './watch-display.js';

/** What a terminal or a pipe offers the watch display, and how shutdown is signalled. */
export interface WatchIo {
  write: (text: string) => void;
  error: (text: string) => void;
  isTTY: boolean;
  columns: () => number;
  /** Resolves with the first shutdown signal's name. */
  shutdown: Promise<string>;
  /** SIGCONT (resumed: sync now) and SIGHUP (reload the ignore rules) go to `listener` until the returned function is called. */
  onWake: (listener: (reason: WakeReason) => void) => () => void;
}

const SHUT_DOWN = Symbol('shutdown');

/** Resolves after `ms` or at a wake-up (SIGCONT, SIGHUP), or with SHUT_DOWN as soon as the user stops the run. */
function pause(ms: number, io: Pick<WatchIo, 'shutdown' | 'onWake'>): Promise<typeof SHUT_DOWN | undefined> {
  let timer: NodeJS.Timeout | undefined;
  let stopWaking: () => void = () => undefined;
  return Promise.race([
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
      stopWaking = io.onWake(() => resolve(undefined));
    }),
    io.shutdown.then((): typeof SHUT_DOWN => SHUT_DOWN),
  ]).finally(() => {
    clearTimeout(timer);
    stopWaking();
  });
}

/** The folder's status while its server cannot be reached, before the controller (which creates `.wsync/`) exists. */
function offlineStatus(target: FolderTarget, message: string): FolderStatus {
  return {
    folderId: target.dir,
    dir: target.dir,
    server: target.server,
    workspace: target.workspace,
    prefix: target.prefix,
    state: 'offline',
    message,
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    transfers: [],
    lastSyncAt: null,
    recent: [],
    conflicts: [],
    errors: [],
    heldDeletions: [],
  };
}

/** Runs until `io.shutdown` resolves (exit 0), or until the key is refused (exit 3). */
async function runWatch(flags: WatchFlags, target: FolderTarget, io: WatchIo, context: FailureContext): Promise<number> {
  const { apiKey, dir } = target;
  const out = { stdout: io.write, stderr: io.error };
  const display = createWatchDisplay({
    json: flags.json === true,
    verbose: flags.verbose === true,
    isTTY: io.isTTY,
    columns: io.columns,
    write: io.write,
    firstSync: !target.hasBase,
    now: Date.now,
  });

  // The server must answer before the first cycle: until then the folder is offline, and says so.
  for (let poll = initialPollState(); ;) {
    try {
      await checkServer(target);
      break;
    } catch (err) {
      if (connectionFailure(err) === null || target.bound === null) return reportFailure(describeFailure(err, context), out, flags.json === true);
      const decision = nextPoll(poll, { kind: 'failed' }, DEFAULT_POLL_CONFIG, { rateLimitedForMs: 0, jitter: 0 });
      poll = decision.state;
      const offline = offlineStatus(target, describeFailure(err, context).message);
      display.offline(offline, decision.delayMs);
      if ((await pause(decision.delayMs, io)) === SHUT_DOWN) {
        display.end(offline, await io.shutdown);
        return EXIT.inSync;
      }
    }
  }
  context.connected = true;
  const logger = createFileLogger({ dir, secrets: [apiKey], level: flags.logLevel ?? 'info' });
  logger.info({ dir, server: target.server, workspace: target.workspace, prefix: target.prefix }, 'watch started');
  const controller = createFolderController({
    id: dir,
    dir,
    server: target.server,
    workspace: target.workspace,
    prefix: target.prefix,
    rebind: target.rebind,
    api: (bandwidth) => createFilesApi({ server: target.server, workspace: target.workspace, apiKey, bandwidth }),
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(flags.pollInterval === undefined ? {} : { poll: { minIntervalMs: flags.pollInterval * 1000 } }),
    bandwidth: { uploadBps: flags.uploadLimit ?? 0, downloadBps: flags.downloadLimit ?? 0 },
    logger,
  });

  let signedOut: () => void = () => undefined;
  const refused = new Promise<typeof SHUT_DOWN>((resolve) => (signedOut = () => resolve(SHUT_DOWN)));
  const unsubscribe = controller.subscribe((status) => {
    display.show(status);
    // Nothing more can happen until the key is replaced, which a CLI run cannot do: stop and say why.
    if (status.state === 'signed-out') signedOut();
  });
  const stopWaking = io.onWake((wake) => {
    logger.info({ reason: wake }, 'woken by a signal');
    controller.wake(wake);
  });
  let reason = '';
  let code: number = EXIT.inSync;
  try {
    await Promise.race([controller.start(), io.shutdown]);
    const first = await Promise.race([io.shutdown, refused]);
    reason = first === SHUT_DOWN ? 'signed out' : first;
  } finally {
    stopWaking();
    await controller.stop();
    unsubscribe();
    display.end(controller.snapshot(), reason === '' ? 'failed' : reason);
    logger.info({ reason }, 'watch stopped');
    await logger.close();
  }
  if (reason === 'signed out') {
    // The controller knows only that the key stopped working; the server says which way.
    let why: unknown = null;
    try {
      await checkServer(target);
    } catch (err) {
      why = err;
    }
    context.connected = false;
    const failure =
      why === null ? { kind: 'key-refused' as const, message: 'the server refused the API key', exitCode: EXIT.auth } : describeFailure(why, context);
    code = reportFailure(failure, { stdout: () => undefined, stderr: io.error }, false);
  }
  return code;
}

/** Resolves on the first of `signals`; the handlers stay so a second signal does not kill mid-stop. */
function shutdownSignal(signals: readonly NodeJS.Signals[]): Promise<string> {
  return new Promise((resolveSignal) => {
    for (const name of signals) process.on(name, () => resolveSignal(name));
  });
}

/**
 * SIGCONT (the process resumed after SIGSTOP or a suspended machine: sync now) and, off a terminal,
 * SIGHUP (the daemon convention: reload, here the ignore rules). Handled from the start, so a
 * SIGHUP before the folder runs does not end the process.
 */
function wakeSignals(reloadOnHangUp: boolean): WatchIo['onWake'] {
  const listeners = new Set<(reason: WakeReason) => void>();
  const tell = (reason: WakeReason) => () => {
    for (const listener of [...listeners]) listener(reason);
  };
  process.on('SIGCONT', tell('resume'));
  if (reloadOnHangUp) process.on('SIGHUP', tell('reload'));
  return (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
}

/**
 * The process's own terminal or pipes, stopped by SIGINT or SIGTERM, woken by SIGCONT. SIGHUP at a
 * terminal means it hung up (the window was closed): the run stops cleanly, and what it still
 * writes to the gone terminal is dropped. Without a terminal (systemd, nohup, a pipe) SIGHUP reloads.
 */
function processIo(): WatchIo {
  // Undefined, not false, when stdout is not a terminal (@types/node types it boolean).
  const atTerminal = (process.stdout.isTTY as boolean | undefined) ?? false;
  if (atTerminal) {
    process.once('SIGHUP', () => {
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    });
  }
  return {
    write: (t) => process.stdout.write(t),
    error: (t) => process.stderr.write(t),
    isTTY: atTerminal,
    columns: () => (process.stdout.columns > 0 ? process.stdout.columns : 100),
    shutdown: shutdownSignal(atTerminal ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : ['SIGINT', 'SIGTERM']),
    onWake: wakeSignals(!atTerminal),
  };
}

export async function runWatchCommand(flags: WatchFlags, proc: Omit<CliProcess, 'argv'>): Promise<number> {
  const context: FailureContext = {};
  const io = processIo();
  let target: FolderTarget;
  try {
    target = resolveFolderTarget(flags, { cwd: proc.cwd, env: proc.env, write: true });
  } catch (err) {
    return reportFailure(describeFailure(err, context), { stdout: io.write, stderr: io.error }, flags.json === true);
  }
  Object.assign(context, { server: target.server, workspace: target.workspace });
  try {
    return await runWatch(flags, target, io, context);
  } catch (err) {
    // The folder is taken when the watch starts: another engine's hold or a binding elsewhere is a set-up failure.
    return reportFailure(describeFailure(err, context), { stdout: io.write, stderr: io.error }, flags.json === true);
  }
}
