import { describe, expect, it } from 'vitest';
import { byCodeUnits, drive, runToEnd, Slicer, sortInSlices, type Sliced } from '../../../electron/engine/model/slices.js';

/** mulberry32, seeded. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts the yields of a sliced computation while running it to the end. */
function yieldsOf<T>(steps: Sliced<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const step = steps.next();
    if (step.done === true) return { value: step.value, yields };
    yields++;
  }
}

describe('sortInSlices', () => {
  const next = random(7);
  const sizes = [0, 1, 2, 1023, 1024, 1025, 2048, 5000, 40_000];
  const inputs: [string, (n: number) => string[]][] = [
    ['random', (n) => Array.from({ length: n }, () => `p${Math.floor(next() * n)}`)],
    ['sorted', (n) => Array.from({ length: n }, (_, i) => `p${String(i).padStart(6, '0')}`)],
    ['reversed', (n) => Array.from({ length: n }, (_, i) => `p${String(n - i).padStart(6, '0')}`)],
    ['mostly sorted', (n) => Array.from({ length: n }, (_, i) => `p${String(i % 997 === 0 ? n - i : i).padStart(6, '0')}`)],
    ['all equal', (n) => Array.from({ length: n }, () => 'same')],
    ['non-ASCII (code-unit order)', (n) => Array.from({ length: n }, () => String.fromCodePoint(0x41 + Math.floor(next() * 0x1f600)))],
  ];
  for (const [kind, make] of inputs) {
    it(`gives Array.prototype.sort's order: ${kind}, ${sizes.join('/')} elements`, () => {
      for (const n of sizes) {
        const items = make(n);
        const expected = [...items].sort();
        expect(runToEnd(sortInSlices([...items], byCodeUnits, new Slicer(100))), `${n}`).toEqual(expected);
      }
    });
  }

  it('is stable like Array.prototype.sort: equal keys keep their order', () => {
    const items = Array.from({ length: 30_000 }, (_, i) => ({ key: Math.floor(next() * 50), i }));
    const compare = (a: { key: number }, b: { key: number }): number => a.key - b.key;
    const expected = [...items].sort(compare).map((x) => x.i);
    expect(runToEnd(sortInSlices([...items], compare, new Slicer())).map((x) => x.i)).toEqual(expected);
  });

  it('yields about once per slice of comparisons, and an ordered input costs one pass', () => {
    const shuffled = Array.from({ length: 40_000 }, () => `p${Math.floor(next() * 1e9)}`);
    const ordered = [...shuffled].sort();
    const slicer = new Slicer(2000);
    expect(yieldsOf(sortInSlices([...shuffled], byCodeUnits, slicer)).yields).toBeGreaterThan(40_000 / 2000);
    // An ordered input is one pass of 40,000 units (each run looked at once, no merge): at most 20 slices.
    const onePass = yieldsOf(sortInSlices(ordered, byCodeUnits, new Slicer(2000))).yields;
    expect(onePass).toBeGreaterThan(10);
    expect(onePass).toBeLessThanOrEqual(20);
  });
});

describe('Slicer', () => {
  it('says a slice is full every `units` of work, counting big steps whole', () => {
    const slicer = new Slicer(3);
    expect([1, 1, 1, 1, 1, 1].map(() => slicer.tick())).toEqual([false, false, true, false, false, true]);
    expect(slicer.tick(5)).toBe(true);
    expect(slicer.slices).toBe(3);
  });
});

describe('drive', () => {
  function* counted(slices: number, log: string[]): Sliced<string> {
    for (let i = 1; i <= slices; i++) {
      log.push(`slice ${i}`);
      if (i < slices) yield;
    }
    return 'done';
  }

  it("runs the first slice in the caller's turn, lets the loop in between slices, and waits on nothing after the last", async () => {
    const log: string[] = [];
    const driven = drive(counted(3, log), {
      between: () => Promise.resolve().then(() => void log.push('between')),
    });
    expect(log).toEqual(['slice 1']);
    await expect(driven).resolves.toBe('done');
    expect(log).toEqual(['slice 1', 'between', 'slice 2', 'between', 'slice 3']);
  });

  it('serves a timer and an immediate between slices with the default (setImmediate)', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('immediate'));
    await drive(counted(2, log));
    expect(log).toEqual(['slice 1', 'immediate', 'slice 2']);
  });

  it('stops at the first slice boundary after its signal aborts, rejecting with the reason', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    const reason = new Error('paused');
    let betweens = 0;
    const driven = drive(counted(5, log), {
      signal: abort.signal,
      between: async () => {
        if (++betweens === 2) abort.abort(reason);
      },
    });
    await expect(driven).rejects.toBe(reason);
    expect(log).toEqual(['slice 1', 'slice 2']);
  });

  it('runs nothing when its signal is already aborted', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    abort.abort();
    await expect(drive(counted(2, log), { signal: abort.signal })).rejects.toThrow();
    expect(log).toEqual([]);
  });
});
