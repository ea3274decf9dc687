/**
 * The CLI's exit statuses: scripts and tests rely on these exact numbers.
 */
import type { CycleResult } from '../engine/sync/once/cycle.js';

export const EXIT = {
  /** Both sides equal at the end of the cycle. */
  inSync: 0,
  /** Some files could not be synced (each named on stderr), or the run failed on the way. */
  partial: 1,
  /** Bad usage or set-up: options, the folder, a server that cannot be reached or is no Files API server, a folder another engine holds or that is bound elsewhere. */
  usage: 2,
  /** The key was refused, or may not use the workspace; nothing local was changed. */
  auth: 3,
  /** Deletions held back for confirmation; nothing was deleted. */
  held: 4,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM before the cycle finished (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export function exitCodeForResult(result: CycleResult, dryRun: boolean): number {
  if (result.held.length > 0) return EXIT.held;
  if (dryRun) return EXIT.inSync;
  return result.inSync ? EXIT.inSync : EXIT.partial;
}
