/**
 * Which folder a command works on, and with which server, workspace and prefix: the flags given,
 * completed from what the folder remembers (its state database's binding). A folder that has
 * synced needs only `--dir`, or nothing when wsync runs inside it; a different server, workspace
 * or prefix for it is refused unless `--rebind` says so. Every command that syncs resolves its
 * options here, so they are checked the same way everywhere.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { folderLayout } from '../engine/local/folder-layout.js';
import { normalizeServer, type Binding } from '../engine/model/binding.js';
import { StateDb } from '../engine/state/state-db.js';
import { checkPrefix } from '../engine/validate/prefix.js';
import { checkServerUrl } from '../shared/server-url.js';
import { CliError } from './failure.js';
import type { FolderFlags } from './options.js';

export interface FolderTarget extends Binding {
  dir: string;
  apiKey: string;
  /** What the folder remembered before this run, or null for a folder never synced. */
  bound: Binding | null;
  /** The folder has synced files (a base): a run is no first sync. */
  hasBase: boolean;
  rebind: boolean;
}

/** The nearest folder at or above `from` that wsync has synced, or null. */
export function findSyncedFolder(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(folderLayout(dir).stateDb)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** `--dir`, or the synced folder the command runs in. */
export function resolveDir(dirFlag: string | undefined, cwd: string): string {
  if (dirFlag !== undefined) return resolve(cwd, dirFlag);
  const found = findSyncedFolder(cwd);
  if (found === null) throw CliError.usage('no folder given: pass --dir FOLDER, or run wsync inside a folder it syncs');
  return found;
}

/**
 * The folder must be a folder wsync can write to. A missing one is created by the cycle, but only
 * where its parent exists: a typo or an unmounted disk must not get a new tree of downloads.
 */
export function checkFolder(dir: string, options: { write: boolean }): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw folderError(dir, err);
    const parent = dirname(dir);
    if (!existsSync(parent)) throw CliError.folder(`${dir} does not exist, and neither does ${parent}; create the folder first`, 'missing-folder');
    if (!statSync(parent).isDirectory()) throw CliError.folder(`${dir} cannot be created: ${parent} is a file`, 'not-a-folder');
    if (options.write) checkWritable(parent, dir);
    return;
  }
  if (!stat.isDirectory()) throw CliError.folder(`${dir} is a file, not a folder; --dir names the folder to sync`, 'not-a-folder');
  if (options.write) checkWritable(dir, dir);
}

function checkWritable(dir: string, shown: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw folderError(shown, err);
  }
}

function folderError(dir: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return CliError.folder(`cannot write to ${dir}: it is on a read-only file system`, 'read-only-folder');
  if (code === 'EACCES' || code === 'EPERM') return CliError.folder(`cannot write to ${dir}: permission denied`, 'read-only-folder');
  return CliError.folder(`cannot use ${dir}: ${code ?? (err as Error).message}`, 'folder');
}

/** What the folder's state database remembers, if it has one. */
export function readBinding(dir: string): { binding: Binding | null; hasBase: boolean } {
  const file = folderLayout(dir).stateDb;
  if (!existsSync(file)) return { binding: null, hasBase: false };
  const db = StateDb.open(file, { readonly: true });
  try {
    const server = db.getMeta('server');
    const workspace = db.getMeta('workspace');
    const binding = server === undefined || workspace === undefined ? null : { server, workspace, prefix: db.getMeta('prefix') ?? '' };
    return { binding, hasBase: db.hasBase() };
  } finally {
    db.close();
  }
}

/** One server however its URL is spelled (the engine's binding rule, model/binding.ts). */
export function sameServer(a: string, b: string): boolean {
  return (normalizeServer(a) ?? a) === (normalizeServer(b) ?? b);
}

/** `--server` (or the remembered server) checked by the one rule for server URLs (shared with the app). */
function checkedServer(value: string, allowInsecureHttp: boolean): string {
  const checked = checkServerUrl(value, { allowInsecureHttp });
  if (checked.ok) return checked.url;
  const hint = checked.problem === 'insecure-http' ? ', or pass --allow-insecure-http if you must' : '';
  throw CliError.usage(`--server: ${checked.message}${hint}`);
}

/** `--prefix`, normalised and checked by the rules every remote name follows. */
function checkedPrefix(value: string): string {
  const checked = checkPrefix(value);
  if (!checked.ok) throw CliError.usage(`--prefix: ${checked.message}`);
  return checked.prefix;
}

export function readApiKey(apiKeyFile: string | undefined, env: NodeJS.ProcessEnv): string {
  if (apiKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(apiKeyFile, 'utf8');
    } catch (err) {
      throw CliError.usage(`cannot read the API key file ${apiKeyFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const key = text.trim();
    if (key === '') throw CliError.usage(`the API key file ${apiKeyFile} is empty`);
    return key;
  }
  const key = env.WSYNC_API_KEY?.trim();
  if (key === undefined || key === '') throw CliError.usage('no API key: set WSYNC_API_KEY or pass --api-key-file PATH');
  return key;
}

function describeBinding(b: Binding): string {
  return `workspace ${b.workspace}${b.prefix === '' ? '' : ` (prefix ${b.prefix})`} on ${b.server}`;
}

/**
 * The folder, binding and key for `sync` or `watch`. `write` is false for a dry run, which
 * creates nothing.
 */
export function resolveFolderTarget(flags: FolderFlags, context: { cwd: string; env: NodeJS.ProcessEnv; write: boolean }): FolderTarget {
  const dir = resolveDir(flags.dir, context.cwd);
  checkFolder(dir, { write: context.write });
  const { binding, hasBase } = readBinding(dir);
  const wanted = {
    server: flags.server === undefined ? undefined : checkedServer(flags.server, flags.allowInsecureHttp === true),
    workspace: flags.workspace,
    prefix: flags.prefix === undefined ? undefined : checkedPrefix(flags.prefix),
  };
  if (binding !== null && flags.rebind !== true) {
    const differs =
      (wanted.server !== undefined && !sameServer(wanted.server, binding.server)) ||
      (wanted.workspace !== undefined && wanted.workspace !== binding.workspace) ||
      (wanted.prefix !== undefined && wanted.prefix !== binding.prefix);
    if (differs) {
      const asked = {
        server: wanted.server ?? binding.server,
        workspace: wanted.workspace ?? binding.workspace,
        prefix: wanted.prefix ?? binding.prefix,
      };
      throw CliError.bound(
        `${dir} is synced with ${describeBinding(binding)}; it will not be synced with ${describeBinding(asked)}. ` +
          'Leave out --server, --workspace and --prefix to sync it as before, or pass --rebind to sync it with the new one instead',
      );
    }
  }
  const server = wanted.server ?? binding?.server;
  const workspace = wanted.workspace ?? binding?.workspace;
  if (server === undefined || workspace === undefined) {
    const missing = [server === undefined ? '--server' : '', workspace === undefined ? '--workspace' : ''].filter(Boolean).join(' and ');
    throw CliError.usage(`${dir} has not been synced yet: pass ${missing} the first time`);
  }
  // A remembered server is checked again: an insecure one needs the flag on every run.
  const serverUrl = wanted.server ?? checkedServer(server, flags.allowInsecureHttp === true);
  return {
    dir,
    server: serverUrl,
    workspace,
    prefix: wanted.prefix ?? binding?.prefix ?? '',
    apiKey: readApiKey(flags.apiKeyFile, context.env),
    bound: binding,
    hasBase,
    rebind: flags.rebind === true,
  };
}
