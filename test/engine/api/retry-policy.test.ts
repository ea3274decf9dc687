import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from '../../../electron/engine/api/retry-policy.js';
import { urlForLog } from '../../../electron/engine/api/redact.js';

const policy = { ...DEFAULT_RETRY_POLICY, limit: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, maxTotalMs: 10_000 };

describe('retryDelay', () => {
  it('backs off exponentially with jitter between half and the full step, capped', () => {
    const at = (failures: number, r: number) => retryDelay(policy, { failures, startedAt: 0 }, 0, () => r);
    expect([at(1, 0), at(1, 1)]).toEqual([50, 100]);
    expect([at(2, 0), at(2, 1)]).toEqual([100, 200]);
    expect([at(4, 0), at(4, 1)]).toEqual([400, 800]);
    expect(retryDelay({ ...policy, limit: 10 }, { failures: 6, startedAt: 0 }, 0, () => 1)).toBe(1000);
  });

  it('gives up after `limit` retries', () => {
    expect(retryDelay(policy, { failures: 4, startedAt: 0 }, 0, () => 0)).not.toBeNull();
    expect(retryDelay(policy, { failures: 5, startedAt: 0 }, 0, () => 0)).toBeNull();
  });

  it('never waits less than Retry-After, and refuses one beyond maxRetryAfterMs', () => {
    expect(retryDelay(policy, { failures: 1, startedAt: 0, retryAfterMs: 3000 }, 0, () => 0)).toBe(3000);
    expect(retryDelay(policy, { failures: 1, startedAt: 0, retryAfterMs: 3000 }, 0, () => 1)).toBeGreaterThan(3000);
    expect(retryDelay(policy, { failures: 1, startedAt: 0, retryAfterMs: 6000 }, 0, () => 0)).toBeNull();
  });

  it('gives up when the next attempt would start past maxTotalMs', () => {
    expect(retryDelay(policy, { failures: 1, startedAt: 0 }, 9_000, () => 0)).toBe(50);
    expect(retryDelay(policy, { failures: 1, startedAt: 0 }, 9_990, () => 0)).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('urlForLog', () => {
  it('keeps origin and path, drops the query string and credentials', () => {
    expect(urlForLog('https://user:pw@s3.example.com/b/k?X-Amz-Signature=abc&X-Amz-Credential=x')).toBe('https://s3.example.com/b/k');
    expect(urlForLog('not a url?sig=1')).toBe('not a url');
  });
});
