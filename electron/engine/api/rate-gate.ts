/**
 * One rate gate per client (rclone's pacer): when the server says "slow down" (a 429, or a 503
 * with Retry-After), every request of this client waits until the time it named, not only the
 * one that was told. A wait longer than the caller will sit through fails at once, without a
 * request, as rate-limited with the time left, so a cycle ends and its host comes back then.
 */
import type { Clock } from '../clock.js';
import { WsyncError } from '../errors.js';
import type { Logger } from '../logger.js';

export const GATE_CLOSED = 'rate-gate-closed';

export class RateGate {
  private openAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Milliseconds until requests may go again (0 when open). */
  remainingMs(): number {
    return Math.max(0, this.openAt - this.clock.now());
  }

  /** No request before `now + ms`; a later closing already in force stands. */
  closeFor(ms: number, reason: { status?: number | undefined; operation: string }): void {
    const until = this.clock.now() + Math.max(0, ms);
    if (until <= this.openAt) return;
    this.openAt = until;
    this.logger.warn(
      { status: reason.status, operation: reason.operation, waitMs: Math.ceil(ms), until: new Date(until).toISOString() },
      'the server asked to slow down: every request of this client waits',
    );
  }

  /**
   * Resolves once the gate is open. Waits at most `maxWaitMs` in all; beyond that it throws a
   * rate-limited error (code rate-gate-closed) carrying the time left. Abortable.
   */
  async pass(maxWaitMs: number, signal: AbortSignal | undefined, what: string, path?: string): Promise<void> {
    for (;;) {
      const wait = this.remainingMs();
      if (wait <= 0) return;
      if (wait > maxWaitMs) {
        throw new WsyncError('rate-limited', `${what}: the server asked to wait ${Math.ceil(wait / 1000)} s before the next request; not sent`, {
          code: GATE_CLOSED,
          retryAfterMs: wait,
          ...(path === undefined ? {} : { path }),
        });
      }
      // The gate may close further while this waits (another worker's 429): look again after.
      await this.clock.wait(wait, signal);
    }
  }
}
