/**
 * The mass-delete hold: one cycle may not delete most of what was synced without the user's say.
 * Mass deletion is the failure that ends trust in a sync client (a wiped or unmounted folder, a
 * server that answers an empty listing), so it is held and reported rather than propagated.
 */
import type { DeleteGuardOptions, Plan, PlannedAction } from './types.js';

export const DEFAULT_DELETE_GUARD: DeleteGuardOptions = { minFiles: 10, fraction: 0.5 };

const SIDES = [
  { side: 'local', kind: 'delete-local' },
  { side: 'remote', kind: 'delete-remote' },
] as const;

/**
 * Deletions on one side (local files deleted, remote files deleted: counted separately) are held
 * when there are at least `minFiles` of them and they are more than `fraction` of `syncedCount`.
 * Held deletions leave `actions` entirely; `confirmDeletes` lets them through.
 */
export function holdMassDeletions(
  actions: PlannedAction[],
  syncedCount: number,
  guard: DeleteGuardOptions,
  confirmDeletes: boolean,
): Pick<Plan, 'actions' | 'held'> {
  if (confirmDeletes) return { actions, held: [] };
  const held: Plan['held'] = [];
  const heldKinds = new Set<PlannedAction['kind']>();
  for (const { side, kind } of SIDES) {
    const paths = actions.flatMap((a) => (a.kind === kind ? [a.path] : []));
    if (paths.length >= guard.minFiles && paths.length > guard.fraction * syncedCount) {
      held.push({ side, paths: paths.sort(), syncedCount });
      heldKinds.add(kind);
    }
  }
  return { actions: actions.filter((a) => !heldKinds.has(a.kind)), held };
}
