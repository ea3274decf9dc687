/**
 * The plan made in slices (what the cycle runs, with the event loop let in between) is exactly the
 * plan made at once, on large generated trees where sorting, move pairing, clash judging and
 * conflict naming all span many slices. The decision tables check the same on every case
 * (plan-table.ts).
 */
import { describe, expect, it } from 'vitest';
import { drive, runToEnd, Slicer, SLICE_UNITS } from '../../../electron/engine/model/slices.js';
import { reconcile, reconcileInSlices } from '../../../electron/engine/plan/reconcile.js';
import type { PlannedAction, ReconcileInput } from '../../../electron/engine/plan/types.js';
import { generatedInput, type GeneratedTree } from './generated-tree.js';

const kinds = (actions: PlannedAction[]): string[] => [...new Set(actions.map((a) => a.kind))].sort();

async function expectSameInSlices(input: ReconcileInput): Promise<ReturnType<typeof reconcile>> {
  const atOnce = reconcile(input);
  const slicer = new Slicer();
  let turns = 0;
  const sliced = await drive(reconcileInSlices(input, slicer), {
    between: () => {
      turns++;
      return new Promise((resolve) => setImmediate(resolve));
    },
  });
  expect(sliced).toEqual(atOnce);
  // Slices of SLICE_UNITS units of work, each about one path's worth: many for a large tree.
  expect(turns).toBe(slicer.slices);
  expect(turns).toBeGreaterThan((input.local.length + input.remote.files.length + input.base.length) / SLICE_UNITS);
  return atOnce;
}

describe('reconcileInSlices', () => {
  it('plans a 30,000-path tree with every row, moves, clashes and taken copy names exactly as reconcile does', async () => {
    const plan = await expectSameInSlices(generatedInput({ paths: 30_000 }));
    expect(kinds(plan.actions)).toEqual([
      'conflict',
      'delete-local',
      'delete-remote',
      'download',
      'forget',
      'move-remote',
      'record',
      'rename-local',
      'upload',
    ]);
    expect(plan.actions.some((a) => a.kind === 'conflict' && a.copyPath.endsWith('(2).txt'))).toBe(true);
    expect(plan.actions.some((a) => a.kind === 'delete-local' && a.makesWay === true)).toBe(true);
    expect(plan.refused.length).toBeGreaterThan(0);
  });

  const variants: [string, GeneratedTree][] = [
    ['a case-insensitive file system (clashes refused)', { paths: 6_000, seed: 2, options: { caseInsensitiveFs: true } }],
    ['Windows names', { paths: 6_000, seed: 3, options: { platform: 'win32', caseInsensitiveFs: true } }],
    ['most synced files gone remotely (the delete guard holds them)', { paths: 12_000, seed: 4, massRemoteDeletion: true }],
    ['the same, confirmed', { paths: 12_000, seed: 5, massRemoteDeletion: true, options: { confirmDeletes: true } }],
  ];
  for (const [name, tree] of variants) {
    it(`plans as reconcile does: ${name}`, async () => {
      const input = generatedInput(tree);
      const plan = await expectSameInSlices(input);
      if (tree.massRemoteDeletion === true && tree.options?.confirmDeletes !== true) expect(plan.held.map((h) => h.side)).toEqual(['local']);
    });
  }

  it('plans as reconcile does from an incomplete listing (no deletion inferred, no remote move)', async () => {
    const input = generatedInput({ paths: 6_000, seed: 6 });
    await expectSameInSlices({ ...input, remote: { ...input.remote, complete: false } });
  });

  it('gives the same plan whatever the slice size', () => {
    const input = generatedInput({ paths: 3_000, seed: 7 });
    const atOnce = reconcile(input);
    for (const units of [1, 7, 500, Number.POSITIVE_INFINITY])
      expect(runToEnd(reconcileInSlices(input, new Slicer(units))), `${units}`).toEqual(atOnce);
  });
});
