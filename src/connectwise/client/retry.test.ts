import { describe, expect, it } from 'vitest';

import type { HttpMethod } from '../endpoints.js';
import {
  ManageApiError,
  ManageAuthenticationError,
  ManageConnectionError,
  ManageNotFoundError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageTimeoutError,
  ManageUnavailableError,
  ManageValidationError,
} from './errors.js';
import type { RetryInput } from './retry.js';
import { backoffMs, decideRetry, DEFAULT_RETRY_POLICY } from './retry.js';

const site = { method: 'GET' as const, path: '/service/tickets' };
const unavailable = new ManageUnavailableError('503', { ...site, status: 503 });
const timeout = new ManageTimeoutError('timeout', { ...site, timeoutMs: 30_000 });
const reset = new ManageConnectionError('reset', {
  ...site,
  kind: 'reset',
  causeCode: 'ECONNRESET',
  requestMayHaveBeenSent: true,
});
const refused = new ManageConnectionError('refused', {
  ...site,
  kind: 'refused',
  causeCode: 'ECONNREFUSED',
  requestMayHaveBeenSent: false,
});
const tls = new ManageConnectionError('tls', {
  ...site,
  kind: 'tls',
  causeCode: 'CERT_HAS_EXPIRED',
  requestMayHaveBeenSent: false,
});
const throttled = (retryAfterMs?: number): ManageRateLimitedError =>
  new ManageRateLimitedError('429', {
    ...site,
    status: 429,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });

function decide(
  method: HttpMethod,
  error: unknown,
  extra: Partial<Omit<RetryInput, 'method' | 'error'>> = {},
): ReturnType<typeof decideRetry> {
  return decideRetry({
    method,
    error,
    attempt: 1,
    policy: DEFAULT_RETRY_POLICY,
    random: () => 0.5,
    ...extra,
  });
}

describe('decideRetry: attempts', () => {
  it('gives up once maxAttempts attempts have failed', () => {
    expect(decide('GET', unavailable, { attempt: 4 }).retry).toBe(true);
    expect(decide('GET', unavailable, { attempt: 5 })).toEqual({
      retry: false,
      reason: 'gave up after 5 attempts',
    });
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
    expect(decide('GET', throttled(1000), { policy }).retry).toBe(false);
  });
});

describe('decideRetry: 429', () => {
  it('waits exactly Retry-After, for any method, a create included', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
      expect(decide(method, throttled(2_000), { attempt: 3 })).toEqual({
        retry: true,
        delayMs: 2_000,
        reason: 'HTTP 429 Retry-After',
      });
    }
  });

  it('lets Retry-After win over a shorter or longer backoff', () => {
    expect(decide('GET', throttled(0))).toMatchObject({ retry: true, delayMs: 0 });
    expect(decide('GET', throttled(45_000), { random: () => 0.01 })).toMatchObject({
      delayMs: 45_000,
    });
  });

  it('falls back to backoff when Retry-After is missing', () => {
    expect(decide('POST', throttled(), { random: () => 0.5 })).toEqual({
      retry: true,
      delayMs: 125,
      reason: 'HTTP 429',
    });
  });

  it('hands a Retry-After longer than maxRetryAfterMs back to the caller', () => {
    expect(decide('GET', throttled(DEFAULT_RETRY_POLICY.maxRetryAfterMs + 1)).retry).toBe(false);
    expect(decide('GET', throttled(DEFAULT_RETRY_POLICY.maxRetryAfterMs)).retry).toBe(true);
  });
});

describe('decideRetry: transient failures of repeatable calls', () => {
  it.each(['GET', 'PATCH', 'PUT', 'DELETE'] as const)(
    'retries %s on 5xx, timeouts and broken connections',
    (method) => {
      expect(decide(method, unavailable)).toEqual({
        retry: true,
        delayMs: 125,
        reason: 'HTTP 503',
      });
      expect(decide(method, timeout)).toEqual({ retry: true, delayMs: 125, reason: 'timeout' });
      expect(decide(method, reset)).toEqual({
        retry: true,
        delayMs: 125,
        reason: 'connection ECONNRESET',
      });
    },
  );

  it('retries a read-only POST (search) like a GET', () => {
    expect(decide('POST', unavailable, { idempotent: true }).retry).toBe(true);
    expect(decide('POST', timeout, { idempotent: true }).retry).toBe(true);
  });
});

describe('decideRetry: creates', () => {
  it('never resends a POST that may have reached ConnectWise', () => {
    for (const error of [unavailable, timeout, reset]) {
      expect(decide('POST', error)).toEqual({
        retry: false,
        reason: 'a non-idempotent call may have been applied',
      });
    }
  });

  it('resends a POST whose connection failed before sending', () => {
    expect(decide('POST', refused)).toEqual({
      retry: true,
      delayMs: 125,
      reason: 'connection failed before sending (ECONNREFUSED)',
    });
    expect(decide('POST', tls).retry).toBe(true);
  });

  it('treats a PATCH marked non-idempotent like a create', () => {
    expect(decide('PATCH', timeout, { idempotent: false }).retry).toBe(false);
  });
});

describe('decideRetry: everything else', () => {
  it.each([
    new ManageValidationError('400', { ...site, status: 400, fieldErrors: [] }),
    new ManageAuthenticationError('401', { ...site, status: 401 }),
    new ManagePermissionError('403', { ...site, status: 403 }),
    new ManageNotFoundError('404', { ...site, status: 404, endpointMissing: false }),
    new ManageApiError('409', { ...site, status: 409 }),
    new Error('a bug'),
    'not even an error',
  ])('does not retry %s', (error) => {
    expect(decide('GET', error)).toEqual({ retry: false, reason: 'not a transient failure' });
  });
});

describe('backoffMs', () => {
  const policy = DEFAULT_RETRY_POLICY;

  it('spreads delays uniformly below a ceiling that doubles per attempt (full jitter)', () => {
    expect(backoffMs(1, policy, () => 0.999)).toBe(249);
    expect(backoffMs(2, policy, () => 0.999)).toBe(499);
    expect(backoffMs(3, policy, () => 0.999)).toBe(999);
    expect(backoffMs(3, policy, () => 0.5)).toBe(500);
  });

  it('never goes below the floor', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(policy.minDelayMs);
    expect(backoffMs(4, policy, () => 0.01)).toBe(policy.minDelayMs);
  });

  it('never goes above the cap, however many attempts', () => {
    expect(backoffMs(30, policy, () => 0.9999999)).toBe(policy.maxDelayMs - 1);
    expect(backoffMs(1_000, policy, () => 0.5)).toBe(policy.maxDelayMs / 2);
  });
});
