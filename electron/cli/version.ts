/**
 * The program's version: fixed into the bundle at build time (scripts/build-cli.ts), read from
 * package.json when the CLI runs from source (the unit tests).
 */
import { readFileSync } from 'node:fs';

declare const __WSYNC_VERSION__: string | undefined;

function fromPackageJson(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export const VERSION: string = typeof __WSYNC_VERSION__ === 'string' ? __WSYNC_VERSION__ : fromPackageJson();
