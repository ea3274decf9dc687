import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTLE_CONFIG, firstEvent, judgeSettling, nextEvent, type Look, type Settling } from '../../../electron/engine/watch/settle.js';

const config = DEFAULT_SETTLE_CONFIG; // settle 100 ms, stable 1000 ms, at most 10 s
const file = (signature: string, mtimeMs = Number.NEGATIVE_INFINITY): Look => ({ kind: 'file', signature, mtimeMs });

/** Events at these times (ms), then the watcher's looks (at, what lstat says), in order. */
function run(events: number[], looks: { at: number; look: Look }[], settledAt?: number): (number | 'settled')[] {
  let state: Settling | undefined;
  for (const at of events) state = state === undefined ? firstEvent(at, config, settledAt) : nextEvent(state, at);
  if (state === undefined) throw new Error('no events');
  const answers: (number | 'settled')[] = [];
  for (const { at, look } of looks) {
    const decision = judgeSettling(state, look, at, config);
    if (decision.settled) {
      answers.push('settled');
      break;
    }
    answers.push(decision.waitMs);
    state = decision.state;
  }
  return answers;
}

describe('judgeSettling', () => {
  const cases: { name: string; events: number[]; looks: { at: number; look: Look }[]; settledAt?: number; expected: (number | 'settled')[] }[] = [
    {
      name: 'a file written in one go settles 100 ms after its last event, on the first look',
      events: [0, 1],
      looks: [{ at: 101, look: file('f:120:1:7', 1) }],
      expected: ['settled'],
    },
    {
      name: 'a one-go write whose event came late waits until 100 ms after its mtime',
      events: [50],
      looks: [
        { at: 150, look: file('f:120:90:7', 90) },
        { at: 190, look: file('f:120:90:7', 90) },
      ],
      expected: [40, 'settled'],
    },
    {
      name: 'an mtime far ahead of the clock (another clock) is ignored',
      events: [0],
      looks: [{ at: 100, look: file('f:1:99999:7', 99_999) }],
      expected: ['settled'],
    },
    {
      name: 'a file whose events kept coming for 5 s waits 1 s after the last one, and a second look that agrees',
      events: Array.from({ length: 251 }, (_, i) => i * 20), // 0 .. 5000, every 20 ms
      looks: [
        { at: 5100, look: file('f:500:5000:7', 5000) },
        { at: 6000, look: file('f:500:5000:7', 5000) },
      ],
      expected: [900, 'settled'],
    },
    {
      name: 'a file that grew between two looks is being written: it waits for the stable time',
      events: [0],
      looks: [
        { at: 100, look: file('f:10:95:7', 95) }, // quiet for 5 ms only: look again
        { at: 195, look: file('f:20:150:7', 150) }, // grew since: now it must hold still for 1 s
        { at: 1150, look: file('f:20:150:7', 150) },
      ],
      expected: [95, 955, 'settled'],
    },
    {
      name: 'a file being written with long pauses waits twice its longest pause',
      events: [0, 50, 2050, 2100, 2150],
      looks: [
        { at: 2250, look: file('f:3:2150:7', 2150) },
        { at: 6150, look: file('f:3:2150:7', 2150) },
      ],
      expected: [3900, 'settled'],
    },
    {
      name: 'the wait for pauses is bounded by maxStableMs',
      events: [0, 20_000, 20_010],
      looks: [{ at: 20_110, look: file('f:3:20010:7', 20_010) }],
      expected: [9900],
    },
    {
      name: 'quiet for long enough at the first look of a written file: one more look must agree',
      events: [0, 150],
      looks: [
        { at: 1200, look: file('f:9:150:7') },
        { at: 1300, look: file('f:9:150:7') },
      ],
      expected: [100, 'settled'],
    },
    {
      name: 'a file written again 400 ms after it settled is still being written: it waits the stable time',
      events: [1000],
      settledAt: 600,
      looks: [
        { at: 1100, look: file('f:2:1000:7', 1000) },
        { at: 2000, look: file('f:2:1000:7', 1000) },
      ],
      expected: [900, 'settled'],
    },
    {
      name: 'a file written again long after it settled is a new one-go write',
      events: [10_000],
      settledAt: 600,
      looks: [{ at: 10_100, look: file('f:2:10000:7', 10_000) }],
      expected: ['settled'],
    },
    {
      name: 'a path that is gone (a deletion, an editor temp file renamed away) settles at once',
      events: [0],
      looks: [{ at: 100, look: { kind: 'gone' } }],
      expected: ['settled'],
    },
    {
      name: 'a new folder may still be filling: it waits the stable time and a second look',
      events: [0],
      looks: [
        { at: 100, look: { kind: 'dir', signature: 'd:4096:0:9' } },
        { at: 1000, look: { kind: 'dir', signature: 'd:4096:0:9' } },
      ],
      expected: [900, 'settled'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(run(c.events, c.looks, c.settledAt)).toEqual(c.expected);
    });
  }

  it('an event after a look drops that look: the next look starts over', () => {
    let state = firstEvent(0, config);
    const first = judgeSettling(state, file('f:1:0:7', 0), 100, { ...config, settleMs: 200 });
    expect(first.settled).toBe(false);
    if (first.settled) return;
    state = nextEvent(first.state, 150);
    expect(state.seen).toBeUndefined();
    expect(state.longestGapMs).toBe(150);
  });
});
