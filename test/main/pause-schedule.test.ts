import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPauseSchedule } from '../../electron/main/pause-schedule.js';
import { openSettingsStore } from '../../electron/main/settings-store.js';

async function setup(start = '2025-03-04T10:00:00.000Z') {
  const settings = await openSettingsStore(await mkdtemp(join(tmpdir(), 'wsync-pause-')));
  const calls: string[] = [];
  let now = new Date(start);
  let armed: { at: number; fire: () => void } | null = null;
  const targets = { pauseAll: async () => void calls.push('pause'), resumeAll: () => void calls.push('resume') };
  const make = () =>
    createPauseSchedule({
      settings,
      targets,
      now: () => now,
      timer: (ms, fire) => {
        armed = { at: now.getTime() + ms, fire };
        return () => (armed = null);
      },
    });
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
    const due = armed;
    if (due && due.at <= now.getTime()) {
      armed = null;
      due.fire();
    }
  };
  return { settings, calls, make, advance, armed: () => armed };
}

describe('timed pauses', () => {
  it('"for 1 hour" pauses every folder, saves the deadline and resumes by itself an hour later', async () => {
    const { settings, calls, make, advance } = await setup();
    const schedule = make();
    await schedule.pause('one-hour');
    expect(settings.get().pausedUntil).toBe('2025-03-04T11:00:00.000Z');
    advance(59 * 60_000);
    expect(calls).toEqual(['pause']);
    advance(60_000);
    expect(calls).toEqual(['pause', 'resume']);
    await expect.poll(() => settings.get().pausedUntil).toBeNull();
  });

  it('"until I resume" saves no deadline; resuming by hand clears a deadline', async () => {
    const { settings, calls, make, armed } = await setup();
    const schedule = make();
    await schedule.pause('until-resumed');
    expect([settings.get().pausedUntil, armed()]).toEqual([null, null]);
    await schedule.pause('tomorrow');
    expect(settings.get().pausedUntil).not.toBeNull();
    await schedule.resume();
    expect([settings.get().pausedUntil, armed(), calls]).toEqual([null, null, ['pause', 'pause', 'resume']]);
  });

  it('a restart before the deadline stays paused until it; one after it forgets the deadline', async () => {
    const first = await setup();
    await first.make().pause('one-hour');
    const again = first.make();
    await again.restore();
    expect(first.calls).toEqual(['pause', 'pause']);
    expect(first.armed()).not.toBeNull();

    first.advance(2 * 3600_000);
    await new Promise((r) => setImmediate(r));
    await first.settings.update((s) => ({ ...s, pausedUntil: '2025-03-04T09:00:00.000Z' }));
    const late = first.make();
    first.calls.length = 0;
    await late.restore();
    expect(first.calls).toEqual([]);
    expect(first.settings.get().pausedUntil).toBeNull();
  });
});
