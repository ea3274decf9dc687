/**
 * When to poll the remote next, from what polling costs: a workspace has no change feed, so every
 * poll lists it, and that costs CPU in proportion to its size. The interval is chosen so that
 * polling stays within a CPU budget (0.25 % of one core on average): a workspace that lists in
 * one page is polled every few seconds, a 100,000-file one every couple of minutes.
 *
 *   delay = clamp(cost / budget, lower, upper)
 *   lower = max(floor (5 s, or the interval the user chose), pages / request rate (1 a second),
 *               the server's wait (Retry-After))
 *   upper = the idle maximum (2 min), or the server's wait when that is longer
 *
 * `cost` is the CPU time of a steady poll (one that found every page of the listing as it knew it:
 * what polling a quiet workspace costs), smoothed so that one cheap poll does not undo an expensive
 * one. A poll that had to compare the listing with the base (the first after start or after a
 * sync, or one that found changes) costs more, but that is the sync's work, not polling's: it
 * counts only until a steady poll was measured. Until any poll was measured, the floor applies. After a failure the back-off decides instead
 * (5 s doubling to 2 min, spread by jitter), and a server's Retry-After is always waited out, even
 * beyond the maximum. A pure function of data: tested as a table.
 */

/** No listing is ever requested sooner than this after the previous poll ended. */
export const MIN_POLL_INTERVAL_MS = 5_000;

export interface PollConfig {
  /** Share of one core that polling may use on average (0.0025 = 0.25 %). */
  cpuBudget: number;
  /** The shortest interval: the floor, raised by the user's own choice. */
  minIntervalMs: number;
  /** The longest interval while all is well (the idle maximum). */
  maxIntervalMs: number;
  /** The longest back-off while failing or offline (a server's Retry-After may ask for more). */
  maxErrorIntervalMs: number;
  /** List requests per second that polling may send on average, whatever the CPU budget allows. */
  maxRequestsPerSecond: number;
}

export const DEFAULT_POLL_CONFIG: PollConfig = {
  cpuBudget: 0.0025,
  minIntervalMs: MIN_POLL_INTERVAL_MS,
  maxIntervalMs: 120_000,
  maxErrorIntervalMs: 120_000,
  maxRequestsPerSecond: 1,
};

/** What one poll cost, measured around it. */
export interface PollCost {
  /** CPU time of the process while the poll ran (user + system). */
  cpuMs: number;
  /** Listing pages requested and answer bytes received. */
  pages: number;
  bytes: number;
  wallMs: number;
  /** Every page came back as the poll knew it: what each poll of a quiet workspace costs. */
  steady: boolean;
}

export interface PollState {
  /** The smoothed CPU cost of a poll; undefined until one was measured. */
  costMs: number | undefined;
  /** `costMs` comes from steady polls (not yet: from the first poll, which compared the listing). */
  steady: boolean;
  /** Pages the last measured poll listed. */
  pages: number;
  consecutiveFailures: number;
}

/** How the last poll or cycle ended; `cost` when a poll's listing was measured. */
export type PollOutcome = { kind: 'ok'; cost?: PollCost | undefined } | { kind: 'failed'; retryAfterMs?: number | undefined };

export interface PollContext {
  /** How long the client's rate gate still holds requests back (the server's Retry-After). */
  rateLimitedForMs: number;
  /** In [0, 1): spreads failing clients apart (up to +20 % of the back-off); tests pass 0. */
  jitter: number;
}

/** Which bound decided the delay (logged, so a user can see why polls are as frequent as they are). */
export type PollReason = 'floor' | 'requests' | 'budget' | 'maximum' | 'server' | 'back-off';

export interface PollDecision {
  state: PollState;
  delayMs: number;
  reason: PollReason;
}

export const initialPollState = (): PollState => ({ costMs: undefined, steady: false, pages: 0, consecutiveFailures: 0 });

/** The user's interval (seconds or ms, as given) raises the floor, never lowers it; the maximum follows a floor above it. */
export function pollConfig(overrides: Partial<PollConfig> = {}): PollConfig {
  const config = { ...DEFAULT_POLL_CONFIG, ...overrides };
  const minIntervalMs = Math.max(MIN_POLL_INTERVAL_MS, Math.round(config.minIntervalMs));
  return {
    cpuBudget: config.cpuBudget > 0 ? config.cpuBudget : DEFAULT_POLL_CONFIG.cpuBudget,
    maxRequestsPerSecond: config.maxRequestsPerSecond > 0 ? config.maxRequestsPerSecond : DEFAULT_POLL_CONFIG.maxRequestsPerSecond,
    minIntervalMs,
    maxIntervalMs: Math.max(minIntervalMs, Math.round(config.maxIntervalMs)),
    maxErrorIntervalMs: Math.max(minIntervalMs, Math.round(config.maxErrorIntervalMs)),
  };
}

/**
 * A dearer poll counts at once (the workspace grew, the machine is busy); a cheaper one halves
 * the way down, so a single lucky poll does not bring polling back to its old rate.
 */
export function smoothCost(previous: number | undefined, sample: number): number {
  if (!Number.isFinite(sample) || sample < 0) return previous ?? 0;
  if (previous === undefined || sample >= previous) return sample;
  return (previous + sample) / 2;
}

/** What a measured poll teaches: a steady poll's cost is smoothed in (or replaces a first estimate); another counts only as the first estimate. */
function learnCost(previous: PollState, cost: PollCost | undefined): Pick<PollState, 'costMs' | 'steady' | 'pages'> {
  const known = { costMs: previous.costMs, steady: previous.steady, pages: previous.pages };
  if (cost === undefined || !Number.isFinite(cost.cpuMs) || cost.cpuMs < 0) return known;
  if (cost.steady) return { costMs: previous.steady ? smoothCost(previous.costMs, cost.cpuMs) : cost.cpuMs, steady: true, pages: cost.pages };
  return previous.costMs === undefined ? { costMs: cost.cpuMs, steady: false, pages: cost.pages } : known;
}

export function nextPoll(previous: PollState, outcome: PollOutcome, config: PollConfig, context: PollContext): PollDecision {
  const serverWaitMs = Math.max(0, Math.ceil(context.rateLimitedForMs));
  if (outcome.kind === 'failed') {
    const failures = previous.consecutiveFailures + 1;
    const backoff = Math.min(config.maxErrorIntervalMs, config.minIntervalMs * 2 ** Math.min(failures - 1, 30));
    const spread = Math.min(config.maxErrorIntervalMs, Math.round(backoff * (1 + 0.2 * Math.min(Math.max(context.jitter, 0), 0.999))));
    const retryAfter = Math.max(serverWaitMs, outcome.retryAfterMs === undefined ? 0 : Math.ceil(outcome.retryAfterMs));
    const state = { ...previous, consecutiveFailures: failures };
    return retryAfter > spread ? { state, delayMs: retryAfter, reason: 'server' } : { state, delayMs: spread, reason: 'back-off' };
  }
  const state: PollState = { ...learnCost(previous, outcome.cost), consecutiveFailures: 0 };
  const { costMs, pages } = state;
  const wanted = costMs === undefined ? 0 : Math.ceil(costMs / config.cpuBudget);
  const requestsMs = Math.ceil((pages * 1000) / config.maxRequestsPerSecond);
  // The server's wait raises both bounds: it is honoured even beyond the maximum.
  const upper = Math.max(config.maxIntervalMs, serverWaitMs);
  const lower = Math.min(upper, Math.max(config.minIntervalMs, requestsMs, serverWaitMs));
  const delayMs = Math.min(upper, Math.max(lower, wanted));
  return {
    state,
    delayMs,
    reason: reasonFor(delayMs, wanted, { floor: config.minIntervalMs, requests: requestsMs, server: serverWaitMs, maximum: config.maxIntervalMs }),
  };
}

/** The bound the delay sits on (a tie goes to the bound), or the budget when it sits on none. */
function reasonFor(delayMs: number, wanted: number, bounds: { floor: number; requests: number; server: number; maximum: number }): PollReason {
  if (wanted > delayMs) return delayMs === bounds.maximum ? 'maximum' : 'server';
  if (bounds.server > bounds.floor && delayMs === bounds.server) return 'server';
  if (bounds.requests > bounds.floor && delayMs === bounds.requests) return 'requests';
  if (delayMs === bounds.floor) return 'floor';
  return delayMs === bounds.maximum ? 'maximum' : 'budget';
}
