/**
 * What happens to a job whose run failed: one pure decision, made from the error's identity.
 *
 * - Transient causes (ConnectWise 5xx, timeouts, broken connections, a lost answer, 429) are
 *   retried later, however long ConnectWise stays down: the job goes back to `queued` with a
 *   backoff, or exactly after the `Retry-After` ConnectWise asked for. Nothing is dropped.
 * - Causes only an administrator can fix (a permission taken away, keys revoked, a board or
 *   status gone, a company without a match, a refused field) block the job with the reason and
 *   the fix, and the jobs behind it in its ordering key wait.
 * - Anything unexpected (a defect, a database hiccup) is retried a few times, then blocked so it
 *   is visible instead of spinning.
 */
import {
  ManageApiError,
  ManageAuthenticationError,
  ManageClientIdError,
  ManageConfigError,
  ManageConnectionError,
  ManageNotFoundError,
  ManageOutcomeUnknownError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageSiteError,
  ManageTimeoutError,
  ManageUnavailableError,
  ManageValidationError,
  UnknownCompanyError,
} from '../connectwise/client/index.js';
import { ConnectionNotConfiguredError } from '../connection/errors.js';
import { RulesValidationError } from '../domain/index.js';
import { StoredIncidentError } from '../incidents/errors.js';
import { CreateSettlingError, DeliveryBlockedError } from './errors.js';

/** How long transient failures wait before the next run. */
export interface RetryBackoff {
  /** Wait after the first failed run; doubles per run. Default 2,000 ms. */
  readonly baseMs: number;
  /** No wait is longer. Default 300,000 ms (5 minutes), so a long outage is probed regularly. */
  readonly maxMs: number;
  /** Runs an unexpected error is retried before the job is blocked. Default 5. */
  readonly unexpectedAttempts: number;
}

/** The defaults of {@link RetryBackoff}. */
export const DEFAULT_RETRY_BACKOFF: RetryBackoff = {
  baseMs: 2_000,
  maxMs: 300_000,
  unexpectedAttempts: 5,
};

/** The decision for a failed run. */
export type FailureDecision =
  | {
      readonly kind: 'retry';
      readonly delayMs: number;
      readonly reason: string;
      /** ConnectWise throttled the account: no call of the account before `delayMs`. */
      readonly rateLimited: boolean;
    }
  | {
      readonly kind: 'blocked';
      readonly code: string;
      readonly reason: string;
      readonly fix: string;
    };

/** What {@link decideFailure} looks at. */
export interface FailureInput {
  readonly error: unknown;
  /** Runs of the job so far, the failed one included. */
  readonly attempts: number;
  readonly backoff: RetryBackoff;
  /** Uniform in [0, 1); `Math.random` in production. */
  readonly random: () => number;
}

const RETRY_NOW =
  'Retry from the console (Delivery › Retry) once fixed; blocked deliveries are also re-checked by themselves every few minutes.';

/**
 * Decides what a failed run leads to.
 *
 * @example
 * decideFailure({ error, attempts: 1, backoff: DEFAULT_RETRY_BACKOFF, random: Math.random });
 * // → { kind: 'retry', delayMs: 1734, reason: 'HTTP 503', rateLimited: false }
 */
export function decideFailure(input: FailureInput): FailureDecision {
  const { error, attempts } = input;
  const backoff = (): number => backoffDelayMs(attempts, input.backoff, input.random);

  // The bridge's own "an administrator must act" conditions carry their reason and fix.
  if (error instanceof DeliveryBlockedError) {
    return { kind: 'blocked', code: error.code, reason: error.reason, fix: error.fix };
  }

  // 429: ConnectWise did not process the call and said when to come back (reference §6).
  // Its Retry-After wins over our backoff; without one, the backoff applies.
  if (error instanceof ManageRateLimitedError) {
    const delayMs = error.retryAfterMs ?? backoff();
    return {
      kind: 'retry',
      delayMs,
      reason: `throttled by ConnectWise (HTTP 429) on ${error.call}`,
      rateLimited: true,
    };
  }

  // An earlier run's create may still be in flight: wait exactly until it has settled.
  if (error instanceof CreateSettlingError) {
    return {
      kind: 'retry',
      delayMs: error.retryAfterMs,
      reason: error.message,
      rateLimited: false,
    };
  }

  // Transient: ConnectWise down, slow or unreachable, or a write whose answer was lost (the
  // handler reconciles it by externalXRef before anything is sent again).
  if (
    error instanceof ManageOutcomeUnknownError ||
    error instanceof ManageUnavailableError ||
    error instanceof ManageTimeoutError ||
    error instanceof ManageConnectionError
  ) {
    return {
      kind: 'retry',
      delayMs: backoff(),
      reason: transientReason(error),
      rateLimited: false,
    };
  }

  // 409 "record possibly in use" (reference §5.1) clears by itself.
  if (error instanceof ManageApiError && error.status === 409) {
    return {
      kind: 'retry',
      delayMs: backoff(),
      reason: `ConnectWise answered 409 (record in use) to ${error.call}`,
      rateLimited: false,
    };
  }

  const blocked = blockedDecision(error);
  if (blocked !== undefined) return blocked;

  // Unexpected: retried a few times (a database restart heals), then made visible.
  const message = error instanceof Error ? error.message : String(error);
  if (attempts < input.backoff.unexpectedAttempts) {
    return {
      kind: 'retry',
      delayMs: backoff(),
      reason: `unexpected error: ${message}`,
      rateLimited: false,
    };
  }
  return {
    kind: 'blocked',
    code: 'unexpected_error',
    reason: `Delivery failed ${attempts} times with an unexpected error: ${message}`,
    fix: `Check the worker's log for this error (a defect, or the database unavailable). ${RETRY_NOW}`,
  };
}

/** Causes only an administrator can fix, each with its fix. */
function blockedDecision(error: unknown): FailureDecision | undefined {
  const block = (code: string, reason: string, fix: string): FailureDecision => ({
    kind: 'blocked',
    code,
    reason,
    fix,
  });

  if (error instanceof ConnectionNotConfiguredError) {
    return block(
      'no_connection',
      'No ConnectWise connection is saved for this account.',
      `Enter the API member's keys in Settings › ConnectWise Manage and authenticate. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManagePermissionError) {
    const lacks = error.permission?.label;
    return block(
      'permission_missing',
      lacks === undefined
        ? `ConnectWise refused ${error.call}: the API member's security role does not allow it.`
        : `ConnectWise refused ${error.call}: the API member's role lacks ${lacks}.`,
      `Grant ${lacks === undefined ? 'the permission' : 'it'} in System › Security Roles (the role of the API member), then retry. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageAuthenticationError) {
    return block(
      'wrong_keys',
      `ConnectWise did not accept the API keys for ${error.call} (HTTP 401): they were revoked, or the API member was deactivated.`,
      `Create a new API key for the API member (System › Members › API Members › API Keys) and enter it in Settings › ConnectWise Manage. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageClientIdError) {
    return block(
      'client_id_rejected',
      `ConnectWise refused the integration's clientId on ${error.call}.`,
      `Set PSABRIDGE_CLIENT_ID to the clientId ConnectWise issued for this integration and restart. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageValidationError) {
    const fields = error.fieldErrors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message));
    const detail = fields.length > 0 ? fields.join('; ') : error.message;
    return block(
      'refused_by_connectwise',
      `ConnectWise refused ${error.call}: ${detail}`,
      `${validationFix(error)} ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageNotFoundError) {
    return block(
      error.endpointMissing ? 'endpoint_missing' : 'record_missing',
      `ConnectWise found nothing at ${error.call}: ${error.endpointMissing ? 'the endpoint does not exist on this codebase' : 'the record is gone'}.`,
      error.endpointMissing
        ? `Authenticate the connection again in Settings › ConnectWise Manage so the codebase is looked up afresh. ${RETRY_NOW}`
        : `Check the service-board settings in Settings › ConnectWise Manage (a board, status or team may have been deleted). ${RETRY_NOW}`,
    );
  }
  if (error instanceof UnknownCompanyError || error instanceof ManageSiteError) {
    return block(
      'site_invalid',
      error.message,
      `Correct the site and company ID in Settings › ConnectWise Manage. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageConfigError) {
    return block(
      'connection_invalid',
      error.message,
      `Correct the connection in Settings › ConnectWise Manage. ${RETRY_NOW}`,
    );
  }
  if (error instanceof ManageApiError && error.status !== undefined && error.status < 500) {
    return block(
      'refused_by_connectwise',
      `ConnectWise refused ${error.call} (HTTP ${error.status}): ${error.message}`,
      `Check the connection and the service-board settings in Settings › ConnectWise Manage. ${RETRY_NOW}`,
    );
  }
  if (error instanceof RulesValidationError) {
    return block(
      'rules_invalid',
      `The account's stored rules are invalid: ${error.message}`,
      `Save valid rules (Settings › Rules, or PUT /api/v1/rules). ${RETRY_NOW}`,
    );
  }
  if (error instanceof StoredIncidentError) {
    return block('incident_unreadable', error.message, RETRY_NOW);
  }
  return undefined;
}

// The field ConnectWise names says which setting is wrong (reference §3.5, §5.2).
function validationFix(error: ManageValidationError): string {
  const fields = error.fieldErrors.map((f) => (f.field ?? '').toLowerCase());
  const has = (prefix: string): boolean => fields.some((field) => field.startsWith(prefix));
  if (
    has('status') ||
    has('board') ||
    has('team') ||
    has('type') ||
    has('subtype') ||
    has('item')
  ) {
    return 'The service-board settings no longer match the board in ConnectWise: choose the board, type, subtype, item, statuses and team again in Settings › ConnectWise Manage.';
  }
  if (has('company') || has('contact')) {
    return "Check the company's mapping, status and contacts (Companies in the console, and the company in ConnectWise).";
  }
  if (has('priority')) {
    return 'Choose the priorities again in Settings › ConnectWise Manage.';
  }
  if (has('summary')) {
    return 'Shorten the summary template in Settings › Rules (ConnectWise allows 100 characters).';
  }
  return 'Check the service-board settings in Settings › ConnectWise Manage and the company mapping.';
}

function transientReason(error: ManageApiError): string {
  if (error instanceof ManageOutcomeUnknownError) {
    return `ConnectWise's answer to ${error.call} was lost; it is reconciled before anything is sent again`;
  }
  if (error instanceof ManageTimeoutError) {
    return `ConnectWise did not answer ${error.call} in time`;
  }
  if (error instanceof ManageConnectionError) {
    return `could not reach ConnectWise for ${error.call} (${error.causeCode ?? error.kind})`;
  }
  return `ConnectWise failed ${error.call} (HTTP ${error.status ?? '5xx'})`;
}

/**
 * Exponential backoff with jitter: between half and all of min(max, base·2^(attempts−1)), so
 * the jobs of an outage do not come back in lockstep.
 */
export function backoffDelayMs(
  attempts: number,
  backoff: RetryBackoff,
  random: () => number,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
