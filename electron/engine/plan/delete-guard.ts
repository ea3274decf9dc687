/**
 * The mass-delete hold: one cycle may not delete most of what was synced without the user's say.
 * Mass deletion is the failure that ends trust in a sync client (a wiped or unmounted folder, a
 * server that answers an empty listing), so it is held and reported rather than propagated.
 */
import { byCodeUnits, runToEnd, Slicer, sortInSlices, type Sliced } from '../model/slices.js';
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
  return runToEnd(holdMassDeletionsInSlices(actions, syncedCount, guard, confirmDeletes, new Slicer()));
}

export function* holdMassDeletionsInSlices(
  actions: PlannedAction[],
  syncedCount: number,
  guard: DeleteGuardOptions,
  confirmDeletes: boolean,
  slicer: Slicer,
): Sliced<Pick<Plan, 'actions' | 'held'>> {
  if (confirmDeletes) return { actions, held: [] };
  const deleted: Record<(typeof SIDES)[number]['kind'], string[]> = { 'delete-local': [], 'delete-remote': [] };
  for (const a of actions) {
    if (a.kind === 'delete-local' || a.kind === 'delete-remote') deleted[a.kind].push(a.path);
    if (slicer.tick()) yield;
  }
  const held: Plan['held'] = [];
  const heldKinds = new Set<PlannedAction['kind']>();
  for (const { side, kind } of SIDES) {
    const paths = deleted[kind];
    if (paths.length >= guard.minFiles && paths.length > guard.fraction * syncedCount) {
      held.push({ side, paths: yield* sortInSlices(paths, byCodeUnits, slicer), syncedCount });
      heldKinds.add(kind);
    }
  }
  if (heldKinds.size === 0) return { actions, held };
  const kept: PlannedAction[] = [];
  for (const a of actions) {
    if (!heldKinds.has(a.kind)) kept.push(a);
    if (slicer.tick()) yield;
  }
  return { actions: kept, held };
}
