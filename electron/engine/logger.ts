/**
 * The engine's logging port: pino-compatible, so the CLI and the app pass a pino logger and tests
 * pass a capturing one. Fields must never hold an API key or a presigned URL's query string.
 */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => undefined;

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
