/**
 * Work in slices: a long computation over a whole tree (planning 100,000 paths, comparing a
 * listing with the base) is written as a generator that yields after every slice of work, so that
 * the engine can let its event loop in between slices (a pause, a stop, a status request) and stop
 * at the next slice once its signal aborts. The computation stays a pure function of its data: a
 * yield only says "a slice is done"; whoever drives it decides what happens in between, and
 * `runToEnd` runs it without stopping (the tables, the pure callers).
 */

export type Sliced<T> = Generator<void, T, undefined>;

/**
 * Work units per slice. A unit is one step for one path (a map insert, a decision, a comparison in
 * a sort): planning takes some 15 per path, so a slice of the plan is ~130 paths, 1-6 ms of CPU
 * here; 100,000 paths make ~900 slices, whose turns of the loop cost nothing measurable beside it.
 */
export const SLICE_UNITS = 2000;

/** Counts the work of one computation and says when a slice is full; shared by all its steps. */
export class Slicer {
  private left: number;
  /** Slices ended so far. */
  slices = 0;

  constructor(readonly units: number = SLICE_UNITS) {
    this.left = units;
  }

  /** Records `units` of work: true when that ends a slice, and the caller then yields. */
  tick(units = 1): boolean {
    this.left -= units;
    if (this.left > 0) return false;
    this.left = this.units;
    this.slices += 1;
    return true;
  }
}

export function runToEnd<T>(steps: Sliced<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Elements sorted at once before the runs are merged: a short stretch even under load. */
const RUN = 1024;

/**
 * A stable sort in slices, giving exactly what `Array.prototype.sort(compare)` gives (V8's sort is
 * stable, and so is this: equal elements keep their order). Runs of RUN elements are sorted
 * natively, then merged bottom-up; two neighbouring runs already in order are left as they are, so
 * input that is mostly sorted (paths from the database, the scan or a listing) costs little more
 * than one pass. Sorts `items` in place and returns it.
 */
export function* sortInSlices<T>(items: T[], compare: (a: T, b: T) => number, slicer: Slicer): Sliced<T[]> {
  const n = items.length;
  for (let start = 0; start < n; start += RUN) {
    const end = Math.min(n, start + RUN);
    let sorted = start + 1;
    while (sorted < end && compare(items[sorted - 1] as T, items[sorted] as T) <= 0) sorted++;
    if (sorted < end) {
      const run = items.slice(start, end).sort(compare);
      for (let i = start; i < end; i++) items[i] = run[i - start] as T;
    }
    if (slicer.tick(end - start)) yield;
  }
  const left: T[] = [];
  for (let width = RUN; width < n; width *= 2) {
    for (let start = 0; start + width < n; start += 2 * width) {
      const middle = start + width;
      const end = Math.min(n, middle + width);
      if (compare(items[middle - 1] as T, items[middle] as T) <= 0) continue;
      // Merges [start, middle) and [middle, end) in place: the left run is copied aside first.
      left.length = 0;
      for (let i = start; i < middle; i++) left.push(items[i] as T);
      let l = 0;
      let r = middle;
      let out = start;
      while (l < left.length && r < end) {
        const a = left[l] as T;
        const b = items[r] as T;
        if (compare(a, b) <= 0) {
          items[out++] = a;
          l++;
        } else {
          items[out++] = b;
          r++;
        }
        if (slicer.tick()) yield;
      }
      while (l < left.length) items[out++] = left[l++] as T;
    }
  }
  return items;
}

/** `Array.prototype.sort()`'s order for strings (UTF-16 code units). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** How a driver lets the event loop in between two slices. */
export type LetLoopIn = () => Promise<void>;

/**
 * setImmediate, not a microtask or a zero timer: it runs after the loop has polled for I/O, so the
 * messages, timers and sockets waiting behind a slice are served before the next one, at no
 * minimum delay.
 */
export const letLoopIn: LetLoopIn = () => new Promise((resolve) => setImmediate(resolve));

export interface DriveOptions {
  /** Checked after every slice: once aborted, no further slice runs and the drive rejects with its reason. */
  signal?: AbortSignal | undefined;
  /** Between slices (default letLoopIn). */
  between?: LetLoopIn;
}

/**
 * Runs `steps` to the end, letting the event loop in after every slice. The first slice runs at
 * once (in the caller's turn) and nothing waits after the last, so a computation of one slice
 * costs no turn of the loop.
 */
export async function drive<T>(steps: Sliced<T>, options: DriveOptions = {}): Promise<T> {
  const between = options.between ?? letLoopIn;
  options.signal?.throwIfAborted();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await between();
    options.signal?.throwIfAborted();
  }
}
