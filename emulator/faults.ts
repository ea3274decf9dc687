import { ApiError } from './http.js';
import type { FaultConfig } from './types.js';

export function defaultFaults(): FaultConfig {
  return {
    failureRate: 0,
    failureStatuses: [500, 503, 429],
    retryAfterSeconds: 1,
    latencyMs: 0,
    resetDownloadAfterBytes: null,
    resetUploadAfterBytes: null,
    resetCount: null,
    expiredUrls: false,
    ignoreCursor: false,
    corruptDownloads: false,
    failNth: null,
    failNthStatus: 500,
  };
}

export function injectedFailure(status: number, retryAfterSeconds: number): ApiError {
  const headers: Record<string, string> = status === 429 ? { 'Retry-After': String(retryAfterSeconds) } : {};
  const code = status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'injected_failure';
  return new ApiError(status, code, `injected failure (${status})`, headers);
}

/**
 * Decisions taken on the live, test-mutable FaultConfig. The counting knobs (failNth,
 * resetCount) count down in place, so "from now" means from the moment a test sets them.
 */
export class FaultInjector {
  constructor(
    private readonly config: () => FaultConfig,
    private readonly random: () => number,
  ) {}

  /** For an API call (not a storage URL): the failure to answer with, if one is due. */
  apiFailure(): ApiError | null {
    const f = this.config();
    if (f.failNth !== null) {
      if (f.failNth <= 1) {
        f.failNth = null;
        return injectedFailure(f.failNthStatus, f.retryAfterSeconds);
      }
      f.failNth -= 1;
    }
    if (f.failureRate > 0 && f.failureStatuses.length > 0 && this.random() < f.failureRate) {
      const index = Math.min(f.failureStatuses.length - 1, Math.floor(this.random() * f.failureStatuses.length));
      const status = f.failureStatuses[index] ?? 500;
      return injectedFailure(status, f.retryAfterSeconds);
    }
    return null;
  }

  latencyMs(): number {
    return this.config().latencyMs;
  }

  /** Where to cut a download of `length` body bytes, or null; taking one uses up a resetCount. */
  downloadCut(length: number): number | null {
    const f = this.config();
    const at = f.resetDownloadAfterBytes;
    if (at === null || length <= at || !this.takeReset()) return null;
    return at;
  }

  /** Where to cut an upload body, or null. `declared` is Content-Length when the client sent one. */
  uploadCut(declared: number | null): number | null {
    const f = this.config();
    const at = f.resetUploadAfterBytes;
    if (at === null || (declared !== null && declared <= at) || !this.takeReset()) return null;
    return at;
  }

  expiredUrls(): boolean {
    return this.config().expiredUrls;
  }

  ignoreCursor(): boolean {
    return this.config().ignoreCursor;
  }

  corruptDownloads(): boolean {
    return this.config().corruptDownloads;
  }

  private takeReset(): boolean {
    const f = this.config();
    if (f.resetCount === null) return true;
    if (f.resetCount <= 0) return false;
    f.resetCount -= 1;
    return true;
  }
}
