/**
 * The client's one retry layer. Every call the engine makes (a listing, a stat, an upload, a
 * download, a delete) gets one retry budget, shared by every request that call makes: a download's
 * presigned URL and its storage GETs, a large upload's reservation, PUT and confirm. Retries
 * therefore never multiply, and the back-off grows over the whole call instead of starting over
 * per request. Nothing above the client retries a request again within the cycle.
 *
 * (A listing walk is one call per page: a long walk is not failed by one flaky page per hundred.)
 *
 * Every request first passes the client's rate gate; a 429 (or a 503 with Retry-After) closes it
 * for every worker of the client. Every wait is on the injected clock and ends when the call's
 * signal fires.
 */
import type { Clock } from '../clock.js';
import { WsyncError } from '../errors.js';
import type { Logger } from '../logger.js';
import { GATE_CLOSED, type RateGate } from './rate-gate.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

/** One call's attempts so far. */
export interface RetryBudget {
  readonly operation: string;
  readonly file: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** Failed attempts so far. */
  failures: number;
  /** When the first attempt (or the last one that made progress) started. */
  startedAt: number;
}

export interface AttemptOptions {
  /** Which failures earn another attempt (default: the error's own `retryable`). */
  retryable?: (error: WsyncError) => boolean;
  /**
   * True when the failed attempt still moved the call forward (a download that wrote bytes):
   * that failure is given back, so a long transfer over a flaky link gets there. Bounded all the
   * same: each such attempt must move it further.
   */
  madeProgress?: () => boolean;
}

function cancelled(budget: RetryBudget): WsyncError {
  return new WsyncError('cancelled', `${budget.operation}${budget.file === undefined ? '' : ` of '${budget.file}'`} cancelled`, {
    ...(budget.file === undefined ? {} : { path: budget.file }),
  });
}

/** A function, so that a check made before an await does not narrow the one after it. */
function aborted(budget: RetryBudget): boolean {
  return budget.signal?.aborted === true;
}

export class Retrier {
  constructor(
    readonly policy: RetryPolicy,
    readonly gate: RateGate,
    readonly clock: Clock,
    readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  budget(operation: string, file: string | undefined, signal: AbortSignal | undefined): RetryBudget {
    return { operation, file, signal, failures: 0, startedAt: this.clock.now() };
  }

  /** Called right before every request goes out: waits at the rate gate (or fails when it is closed for long). */
  async beforeRequest(budget: RetryBudget): Promise<void> {
    if (aborted(budget)) throw cancelled(budget);
    const what = `${budget.operation}${budget.file === undefined ? '' : ` of '${budget.file}'`}`;
    try {
      await this.gate.pass(this.policy.maxRetryAfterMs, budget.signal, what, budget.file);
    } catch (err) {
      if (err instanceof WsyncError && err.kind === 'cancelled') throw cancelled(budget);
      throw err;
    }
  }

  /** Runs `attempt` until it succeeds, fails for good, or the budget is spent. */
  async run<T>(budget: RetryBudget, attempt: () => Promise<T>, options: AttemptOptions = {}): Promise<T> {
    const retryable = options.retryable ?? ((error: WsyncError) => error.retryable);
    for (;;) {
      if (aborted(budget)) throw cancelled(budget);
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof WsyncError)) throw err;
        if (aborted(budget) || err.kind === 'cancelled') throw cancelled(budget);
        // Not sent at all: the gate is closed for longer than a call waits. Nothing was tried.
        if (err.code === GATE_CLOSED) throw this.givingUp(err, budget);
        if (!retryable(err)) throw this.givingUp(err, budget, 1);
        if (options.madeProgress?.() === true) {
          budget.failures = 0;
          budget.startedAt = this.clock.now();
        }
        budget.failures += 1;
        this.slowDownAll(err, budget);
        const delay = retryDelay(
          this.policy,
          { failures: budget.failures, startedAt: budget.startedAt, retryAfterMs: err.retryAfterMs },
          this.clock.now(),
          this.random,
        );
        if (delay === null) throw this.givingUp(err, budget);
        this.logger.warn(
          {
            operation: budget.operation,
            file: budget.file,
            attempt: budget.failures,
            delayMs: delay,
            status: err.status,
            kind: err.kind,
            code: err.code,
          },
          `retrying: ${err.message}`,
        );
        try {
          await this.clock.wait(delay, budget.signal);
        } catch {
          throw cancelled(budget);
        }
      }
    }
  }

  /** A 429, or any answer with Retry-After, pauses every request of the client, not only this one. */
  private slowDownAll(err: WsyncError, budget: RetryBudget): void {
    if (err.retryAfterMs !== undefined) this.gate.closeFor(err.retryAfterMs, { status: err.status, operation: budget.operation });
    else if (err.kind === 'rate-limited') {
      const step = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (budget.failures - 1));
      this.gate.closeFor(step, { status: err.status, operation: budget.operation });
    }
  }

  /** The error that ends the call, stamped with the attempts it took (`extra` counts one not yet in `failures`). */
  private givingUp(err: WsyncError, budget: RetryBudget, extra = 0): WsyncError {
    err.attempts = budget.failures + extra;
    const waitAsked = err.retryAfterMs !== undefined && err.code !== GATE_CLOSED;
    // A 503 that names a longer wait than a call sits through is the server saying "later", like a 429.
    if (waitAsked && (err.kind === 'rate-limited' || (err.retryAfterMs ?? 0) > this.policy.maxRetryAfterMs)) {
      // Say how long the server asked for: the host comes back then (the rate gate holds until it).
      const told = new WsyncError('rate-limited', `${err.message} (the server asked to wait ${Math.ceil((err.retryAfterMs ?? 0) / 1000)} s)`, {
        retryAfterMs: err.retryAfterMs,
        ...(err.status === undefined ? {} : { status: err.status }),
        ...(err.code === undefined ? {} : { code: err.code }),
        ...(err.path === undefined ? {} : { path: err.path }),
      });
      told.attempts = err.attempts;
      err = told;
    }
    if (budget.failures + extra > 1) {
      this.logger.warn(
        { operation: budget.operation, file: budget.file, attempts: err.attempts, kind: err.kind, status: err.status, code: err.code },
        `giving up after ${err.attempts} attempts: ${err.message}`,
      );
    }
    return err;
  }
}
