import { describe, expect, it } from 'vitest';
import { applyStatusPatch, applyStatusUpdate, diffStatus, statusUpdate } from '../../electron/shared/status-patch.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { activity, status } from './status-fixture.js';

const recent = (ids: number[]) => ids.map((id) => activity(id, `f${id}.txt`, new Date(id * 1000).toISOString()));

describe('status patches', () => {
  it.each<[string, Partial<FolderStatus>, Partial<FolderStatus>, unknown]>([
    ['nothing changed', {}, {}, null],
    ['a state change', {}, { state: 'syncing' }, { set: { state: 'syncing' } }],
    ['a message set, then cleared', { message: 'x' }, {}, { message: null }],
    ['new activities in front', { recent: recent([2, 1]) }, { recent: recent([4, 3, 2, 1]) }, { recent: { prepend: recent([4, 3]), length: 4 } }],
    [
      'new activities with the oldest cut',
      { recent: recent([3, 2, 1]) },
      { recent: recent([4, 3, 2]) },
      { recent: { prepend: recent([4]), length: 3 } },
    ],
    ['history merged in below', { recent: recent([3]) }, { recent: recent([3, 2, 1]) }, { recent: { replace: recent([3, 2, 1]) } }],
  ])('%s', (_name, before, after, expected) => {
    const prev = status(before);
    const next = status(after);
    const patch = diffStatus(prev, next);
    expect(patch).toEqual(expected);
    if (patch) expect(applyStatusPatch(prev, patch)).toEqual(next);
  });

  it('a first patch carries the whole status; without it a patch cannot be applied', () => {
    const next = status({ state: 'error', message: 'boom', recent: recent([1]) });
    const first = diffStatus(undefined, next);
    expect(applyStatusPatch(undefined, first ?? {})).toEqual(next);
    expect(() => applyStatusPatch(undefined, { set: { state: 'idle' } })).toThrow(/lacks/);
  });

  it('updates follow folders added, removed and reordered', () => {
    const a = status({ folderId: 'a' });
    const b = status({ folderId: 'b' });
    let held = applyStatusUpdate(null, statusUpdate(null, [a]) as never);
    for (const next of [[a, b], [b, { ...a, state: 'paused' as const }], [b]]) {
      const update = statusUpdate(held, next);
      held = update ? applyStatusUpdate(held, update) : held;
      expect(held).toEqual(next);
    }
    expect(statusUpdate(held, [b])).toBeNull();
  });
});
