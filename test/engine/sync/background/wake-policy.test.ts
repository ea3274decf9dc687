import { describe, expect, it } from 'vitest';
import { SHOWN_STALE_MS, wakeAction, type WakeContext, type WakeReason } from '../../../../electron/engine/sync/background/wake-policy.js';

/** An idle folder that synced a minute ago, no server wait, the 5 s floor. */
const folder = (over: Partial<WakeContext> = {}): WakeContext => ({
  state: 'idle',
  active: true,
  sinceSyncMs: 60_000,
  serverWaitMs: 0,
  floorMs: 5_000,
  ...over,
});

describe('what a wake-up does to a folder', () => {
  it.each<[string, WakeReason, WakeContext, 'nothing' | 'poll' | 'reload']>([
    ['resumed from sleep: polls now, however recent the last sync', 'resume', folder({ sinceSyncMs: 1_000 }), 'poll'],
    ['resumed while offline: polls now (the back-off is stale)', 'resume', folder({ state: 'offline' }), 'poll'],
    ['network back while offline: polls now, even right after a failed try', 'network', folder({ state: 'offline', sinceSyncMs: 0 }), 'poll'],
    ['network back while failing: polls now', 'network', folder({ state: 'error', sinceSyncMs: 2_000 }), 'poll'],
    ['network changed, synced a minute ago: polls', 'network', folder(), 'poll'],
    ['network changed, synced 2 s ago (under the floor): nothing', 'network', folder({ sinceSyncMs: 2_000 }), 'nothing'],
    ['network changed, synced exactly one floor ago: polls', 'network', folder({ sinceSyncMs: 5_000 }), 'poll'],
    ['window shown, last sync older than 30 s: polls', 'shown', folder({ sinceSyncMs: SHOWN_STALE_MS }), 'poll'],
    ['window shown, synced 10 s ago: nothing (opening it twice costs nothing)', 'shown', folder({ sinceSyncMs: 10_000 }), 'nothing'],
    ['window shown, never synced: polls', 'shown', folder({ sinceSyncMs: Number.POSITIVE_INFINITY }), 'poll'],
    ['reload asked: a new watcher and a full cycle', 'reload', folder({ sinceSyncMs: 0 }), 'reload'],
    ['reload asked while the server asks to wait: still reloads (the cycle waits at the gate)', 'reload', folder({ serverWaitMs: 60_000 }), 'reload'],
    ['resumed while the server asks to wait 60 s: nothing, its poll comes when allowed', 'resume', folder({ serverWaitMs: 60_000 }), 'nothing'],
    ['network back while the server asks to wait: nothing', 'network', folder({ state: 'offline', serverWaitMs: 1 }), 'nothing'],
    ['paused, signed out or stopped: resume does nothing', 'resume', folder({ active: false, state: 'paused' }), 'nothing'],
    ['paused: reload does nothing either', 'reload', folder({ active: false, state: 'paused' }), 'nothing'],
    ['signed out: network back does nothing (a new key is needed, not a poll)', 'network', folder({ active: false, state: 'signed-out' }), 'nothing'],
  ])('%s', (_, reason, context, does) => {
    const action = wakeAction(reason, context);
    expect(action.do).toBe(does);
    expect(action.why.length).toBeGreaterThan(0);
  });

  it('says how long the server asked to wait, in whole seconds', () => {
    expect(wakeAction('resume', folder({ serverWaitMs: 12_300 }))).toEqual({ do: 'nothing', why: 'the server asked to wait 13 s' });
  });
});
