/**
 * Whether a failed ConnectWise call is sent again, and after how long: one pure decision.
 *
 * The guards run in order and the first that applies decides. Everything the decision needs is
 * in its input (including the random source), so each guard is tested on its own.
 */
import type { HttpMethod } from '../endpoints.js';
import type { ManageApiError } from './errors.js';
import {
  ManageConnectionError,
  ManageRateLimitedError,
  ManageTimeoutError,
  ManageUnavailableError,
} from './errors.js';

/** How hard the client retries. */
export interface RetryPolicy {
  /** Attempts in total, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per attempt. Default 250 ms. */
  readonly baseDelayMs: number;
  /** No backoff delay is shorter than this. Default 100 ms. */
  readonly minDelayMs: number;
  /** No backoff delay is longer than this. Default 30,000 ms. */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` the client waits in place; a longer one is handed to the caller
   * (a worker reschedules the job instead of holding it). Default 60,000 ms.
   */
  readonly maxRetryAfterMs: number;
}

/** The defaults, close to the Developer Guide's "background" settings (reference §5.4). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  minDelayMs: 100,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** What {@link decideRetry} looks at. */
export interface RetryInput {
  readonly method: HttpMethod;
  /**
   * Whether sending the call twice has the effect of sending it once. Defaults to true for
   * GET, PUT, PATCH and DELETE and false for POST; a read-only POST (`…/search`) passes true.
   */
  readonly idempotent?: boolean;
  /** The number of the attempt that just failed, starting at 1. */
  readonly attempt: number;
  /** The failure, as the client classified it. */
  readonly error: unknown;
  readonly policy: RetryPolicy;
  /** Uniform in [0, 1); `Math.random` in production. */
  readonly random: () => number;
}

export type RetryDecision =
  | { readonly retry: false; readonly reason: string }
  | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/**
 * Decides whether to send a failed call again.
 *
 * @example
 * decideRetry({ method: 'GET', attempt: 1, error, policy: DEFAULT_RETRY_POLICY, random: Math.random });
 * // → { retry: true, delayMs: 173, reason: 'HTTP 503' }
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { method, attempt, error, policy } = input;
  const idempotent = input.idempotent ?? method !== 'POST';

  // Bounded: after maxAttempts the caller gets the error (a worker then reschedules durably).
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempt} attempts` };
  }

  // A 429 means ConnectWise did not process the request (reference §6: "too many requests",
  // with Retry-After saying when to come back), so any method, a create included, may be sent
  // again. The server's Retry-After wins over our own backoff; a wait longer than we are willing
  // to hold the caller for is handed back instead.
  if (error instanceof ManageRateLimitedError) {
    if (error.retryAfterMs === undefined) {
      return { retry: true, delayMs: backoffMs(attempt, policy, input.random), reason: 'HTTP 429' };
    }
    if (error.retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: `Retry-After ${error.retryAfterMs} ms is over the limit` };
    }
    return { retry: true, delayMs: error.retryAfterMs, reason: 'HTTP 429 Retry-After' };
  }

  // A connection that failed before the request left (DNS, refused, TLS handshake) cannot have
  // changed anything on the server, so it is retried whatever the method.
  if (error instanceof ManageConnectionError && !error.requestMayHaveBeenSent) {
    return {
      retry: true,
      delayMs: backoffMs(attempt, policy, input.random),
      reason: `connection failed before sending (${error.causeCode ?? error.kind})`,
    };
  }

  // A create that may have reached the server is never sent again: ConnectWise has no
  // idempotency key, and clients that replay a timed-out POST create duplicate tickets
  // (reference §8). The caller reconciles (by externalXRef) instead.
  if (!idempotent && mayHaveBeenApplied(error)) {
    return { retry: false, reason: 'a non-idempotent call may have been applied' };
  }

  // Transient failures of calls that are safe to repeat: 5xx, timeouts, broken connections.
  if (
    error instanceof ManageUnavailableError ||
    error instanceof ManageTimeoutError ||
    error instanceof ManageConnectionError
  ) {
    return {
      retry: true,
      delayMs: backoffMs(attempt, policy, input.random),
      reason: transientReason(error),
    };
  }

  // Everything else (400, 401, 403, 404, 409, …) fails the same way when repeated (reference §5.4).
  return { retry: false, reason: 'not a transient failure' };
}

/**
 * Full-jitter exponential backoff: uniform in [0, min(max, base·2^(attempt−1))), never below the
 * floor, so concurrent clients spread out instead of retrying in lockstep.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(policy.minDelayMs, Math.floor(random() * ceiling));
}

/** True for failures after which the server may have acted on the request. */
export function mayHaveBeenApplied(error: unknown): boolean {
  return (
    error instanceof ManageTimeoutError ||
    error instanceof ManageUnavailableError ||
    (error instanceof ManageConnectionError && error.requestMayHaveBeenSent)
  );
}

function transientReason(error: ManageApiError): string {
  if (error instanceof ManageTimeoutError) return 'timeout';
  if (error instanceof ManageConnectionError) return `connection ${error.causeCode ?? error.kind}`;
  return `HTTP ${error.status ?? '5xx'}`;
}
