/**
 * The CLI's exit statuses: scripts and tests rely on these exact numbers.
 */
import { isWsyncError } from '../engine/errors.js';
import type { CycleResult } from '../engine/sync/cycle.js';

export const EXIT = {
  /** Both sides equal at the end of the cycle. */
  inSync: 0,
  /** Some files could not be synced (each named on stderr); the rest were. */
  partial: 1,
  /** Bad usage or configuration (including a folder another engine holds). */
  usage: 2,
  /** The key was refused (401/403); nothing local was changed. */
  auth: 3,
  /** Deletions held back for confirmation; nothing was deleted. */
  held: 4,
} as const;

export function exitCodeForResult(result: CycleResult, dryRun: boolean): number {
  if (result.held.length > 0) return EXIT.held;
  if (dryRun) return EXIT.inSync;
  return result.inSync ? EXIT.inSync : EXIT.partial;
}

/** Errors that stop a whole cycle. Configuration problems are the user's to fix: exit 2. */
export function exitCodeForError(err: unknown): number {
  if (isWsyncError(err, 'auth')) return EXIT.auth;
  if (isWsyncError(err, 'fatal') && (err.code === 'LOCKED' || err.code === 'BOUND_ELSEWHERE' || err.code === 'USAGE')) return EXIT.usage;
  return EXIT.partial;
}
