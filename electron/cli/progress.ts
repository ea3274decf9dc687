/**
 * Progress while a cycle runs, on stderr: one line rewritten in place on a terminal, plain lines
 * (one per finished operation) otherwise, so logs and CI output stay readable.
 */
import type { StatusEvent } from '../engine/status/events.js';
import { showPath } from './output.js';

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

export function createProgress(sink: ProgressSink): { onEvent: (e: StatusEvent) => void; end: () => void } {
  let done = 0;
  const transfers = new Map<string, { path: string; direction: 'upload' | 'download'; bytesDone: number; bytesTotal: number }>();
  let lastDraw = 0;
  let drawn = false;

  const draw = (force: boolean) => {
    const t = Date.now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    const current = [...transfers.values()].at(-1);
    const detail =
      current === undefined
        ? ''
        : ` ${current.direction === 'upload' ? 'up' : 'down'} ${showPath(current.path)}` +
          (current.bytesTotal > 0 ? ` ${Math.floor((100 * current.bytesDone) / current.bytesTotal)}%` : '');
    const line = `wsync: ${done} done, ${transfers.size} transferring${detail}`;
    sink.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    drawn = true;
  };

  return {
    onEvent(e) {
      switch (e.type) {
        case 'transfer-start':
          transfers.set(e.id, { path: e.path, direction: e.direction, bytesDone: 0, bytesTotal: e.bytesTotal });
          break;
        case 'transfer-progress': {
          const t = transfers.get(e.id);
          if (t !== undefined) {
            t.bytesDone = e.bytesDone;
            if (e.bytesTotal !== undefined) t.bytesTotal = e.bytesTotal;
          }
          break;
        }
        case 'transfer-end':
          transfers.delete(e.id);
          break;
        case 'completed':
          done++;
          if (!sink.isTTY) {
            const detail = e.operation.detail === undefined ? '' : ` (${e.operation.detail})`;
            sink.write(`${e.operation.action} ${showPath(e.operation.path)}${detail}\n`);
          }
          break;
        default:
          return;
      }
      if (sink.isTTY) draw(e.type === 'completed');
    },
    end() {
      if (sink.isTTY && drawn) sink.write('\r\x1b[K');
    },
  };
}
