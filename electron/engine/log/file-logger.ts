/**
 * The engine's log for one folder: pino with levels, written to FOLDER/.wsync/logs/wsync.log and
 * rotated by size (rotating-file-stream), with keys and presigned URL signatures scrubbed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Level } from 'pino';
import { createStream } from 'rotating-file-stream';
import { folderLayout } from '../local/folder-layout.js';
import type { Logger } from '../logger.js';
import { redactText, redactValue } from './redact.js';

export interface FileLoggerOptions {
  /** The sync folder; logs go to its `.wsync/logs/`. */
  dir: string;
  level?: Level;
  /** Values that must never appear in the log (the API key). */
  secrets?: readonly string[];
  /** Rotate when the file reaches this size (rotating-file-stream syntax, e.g. '10M'). */
  size?: `${number}${'B' | 'K' | 'M' | 'G'}`;
  /** Rotated files kept besides the current one. */
  keep?: number;
}

export interface FileLogger extends Logger {
  readonly file: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const path = folderLayout(options.dir).logs;
  mkdirSync(path, { recursive: true });
  const secrets = options.secrets ?? [];
  const stream = createStream('wsync.log', { path, size: options.size ?? '10M', rotate: options.keep ?? 5 });
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (fields) => redactValue(fields, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactText(a, secrets) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
  const at =
    (level: Level) =>
    (fields: Record<string, unknown>, message: string): void =>
      log[level](fields, message);
  return {
    file: join(path, 'wsync.log'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    close: () =>
      new Promise<void>((resolve) => {
        log.flush(() => stream.end(() => resolve()));
      }),
  };
}
