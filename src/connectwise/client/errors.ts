/**
 * The errors the ConnectWise client throws, one class per situation a caller handles differently.
 *
 * Callers branch with `instanceof`: an authentication error stops the integration and raises an
 * alarm, a permission error names the missing security-role row, a validation error lists the
 * fields to fix, an outcome-unknown create is reconciled before anything is sent again. Every
 * message says what happened and what to do; none carries a key, a header or a query string.
 */
import type { EndpointName, HttpMethod } from '../endpoints.js';
import type { ModuleFunctionKey, PermissionAction } from '../permissions.js';

/** Where a failed call went, as errors and events report it: no credentials, no query string. */
export interface CallSite {
  readonly method: HttpMethod;
  /** The path under `/apis/3.0` (or the login path), without query string, e.g. `/service/tickets/7`. */
  readonly path: string;
  /** The `ENDPOINTS` entry the call used, when it used one. */
  readonly endpoint?: EndpointName;
}

/** What every client error carries besides its message. */
export interface ManageApiErrorDetails extends CallSite {
  /** HTTP status, absent when no response arrived (timeout, connection failure). */
  readonly status?: number;
  /** ConnectWise's `code` (`InvalidObject`, `Security`, …) or the 429 body's `error`. */
  readonly code?: string;
  /** The response body as received (cut at 4,000 characters), for diagnostics. */
  readonly rawBody?: string;
  readonly cause?: unknown;
}

const RAW_BODY_LIMIT = 4_000;

/** Base of every error the client throws; `instanceof ManageApiError` catches them all. */
export class ManageApiError extends Error {
  override name = 'ManageApiError';
  readonly status: number | undefined;
  readonly method: HttpMethod;
  readonly path: string;
  readonly endpoint: EndpointName | undefined;
  readonly code: string | undefined;
  readonly rawBody: string | undefined;

  constructor(message: string, details: ManageApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.endpoint = details.endpoint;
    this.code = details.code;
    this.rawBody =
      details.rawBody === undefined ? undefined : details.rawBody.slice(0, RAW_BODY_LIMIT);
  }

  /** `POST /service/tickets`: the call as people name it in messages. */
  get call(): string {
    return `${this.method} ${this.path}`;
  }
}

/** 401: ConnectWise did not accept the company id, public key and private key together. */
export class ManageAuthenticationError extends ManageApiError {
  override name = 'ManageAuthenticationError';
}

/** The security-role row a refused call needs, with where an administrator grants it. */
export interface MissingPermission {
  readonly fn: ModuleFunctionKey;
  readonly action: PermissionAction;
  /** e.g. `Service Desk › Service Tickets › Add Level: All`. */
  readonly label: string;
}

/** 403: the API member's security role does not allow this call. */
export class ManagePermissionError extends ManageApiError {
  override name = 'ManagePermissionError';
  /** The permission the call needs, when the endpoint definition names one. */
  readonly permission: MissingPermission | undefined;

  constructor(
    message: string,
    details: ManageApiErrorDetails & { readonly permission?: MissingPermission },
  ) {
    super(message, details);
    this.permission = details.permission;
  }
}

/** 404: no such record, or (with `endpointMissing`) no such endpoint on this codebase. */
export class ManageNotFoundError extends ManageApiError {
  override name = 'ManageNotFoundError';
  /**
   * True for ConnectWise's `The endpoint does not exist.`: the URL itself is unknown, which on
   * cloud usually means the codebase moved with an upgrade (reference §2.2, §6).
   */
  readonly endpointMissing: boolean;

  constructor(message: string, details: ManageApiErrorDetails & { endpointMissing: boolean }) {
    super(message, details);
    this.endpointMissing = details.endpointMissing;
  }
}

/** One field ConnectWise refused, from the `errors` array of a 400. */
export interface ManageFieldError {
  readonly code: string;
  readonly message: string;
  readonly resource?: string;
  /** Path of the refused field, e.g. `status/id`. */
  readonly field?: string;
}

/** 400: the request was understood and refused; sending it again unchanged fails the same way. */
export class ManageValidationError extends ManageApiError {
  override name = 'ManageValidationError';
  readonly fieldErrors: readonly ManageFieldError[];

  constructor(
    message: string,
    details: ManageApiErrorDetails & { fieldErrors: readonly ManageFieldError[] },
  ) {
    super(message, details);
    this.fieldErrors = details.fieldErrors;
  }
}

/** 400 naming the `clientId` header: the integration's clientId is missing or not accepted. */
export class ManageClientIdError extends ManageApiError {
  override name = 'ManageClientIdError';
}

/** 429: ConnectWise throttled the call and did not process it (reference §6). */
export class ManageRateLimitedError extends ManageApiError {
  override name = 'ManageRateLimitedError';
  /** From `Retry-After`; absent when the header was missing or unreadable. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ManageApiErrorDetails & { retryAfterMs?: number }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx: ConnectWise (or its gateway) failed; usually transient. */
export class ManageUnavailableError extends ManageApiError {
  override name = 'ManageUnavailableError';
}

/** No complete answer within the request timeout. */
export class ManageTimeoutError extends ManageApiError {
  override name = 'ManageTimeoutError';
  readonly timeoutMs: number;

  constructor(message: string, details: ManageApiErrorDetails & { timeoutMs: number }) {
    super(message, details);
    this.timeoutMs = details.timeoutMs;
  }
}

/** How a connection failed, which decides the hint and whether the request may have been sent. */
export type ConnectionFailureKind = 'dns' | 'refused' | 'unreachable' | 'tls' | 'reset' | 'other';

/** The host could not be reached or the connection broke (DNS, refused, reset, TLS). */
export class ManageConnectionError extends ManageApiError {
  override name = 'ManageConnectionError';
  /** The system or TLS error code of the cause, e.g. `ECONNREFUSED`, `CERT_HAS_EXPIRED`. */
  readonly causeCode: string | undefined;
  readonly kind: ConnectionFailureKind;
  /**
   * False when the failure happened before any byte of the request left (DNS, refused, TLS
   * handshake): the server cannot have acted on it, so even a create may be sent again.
   */
  readonly requestMayHaveBeenSent: boolean;

  constructor(
    message: string,
    details: ManageApiErrorDetails & {
      causeCode?: string;
      kind: ConnectionFailureKind;
      requestMayHaveBeenSent: boolean;
    },
  ) {
    super(message, details);
    this.causeCode = details.causeCode;
    this.kind = details.kind;
    this.requestMayHaveBeenSent = details.requestMayHaveBeenSent;
  }
}

/**
 * A write whose answer was lost (timeout, connection reset after sending, 5xx): ConnectWise may
 * or may not have applied it, and it has no idempotency key (reference §8), so the client does
 * not send it again. The caller reconciles: a ticket create is looked up by its `externalXRef`.
 * `cause` is the timeout, connection or 5xx error that hid the outcome.
 */
export class ManageOutcomeUnknownError extends ManageApiError {
  override name = 'ManageOutcomeUnknownError';
}

/** `/login/companyinfo/{companyId}` answered `null`: the site does not know this company id. */
export class UnknownCompanyError extends ManageApiError {
  override name = 'UnknownCompanyError';
  readonly companyId: string;
  readonly site: string;

  constructor(details: ManageApiErrorDetails & { companyId: string; site: string }) {
    super(
      `The company ID "${details.companyId}" was not found at ${details.site}. Check the company ID ` +
        'you type on the ConnectWise login screen (it is case-sensitive) and that the site is ' +
        'the one your company signs in to.',
      details,
    );
    this.companyId = details.companyId;
    this.site = details.site;
  }
}

/**
 * The site answered, but not like ConnectWise (an HTML page, a non-JSON body, an unexpected
 * shape): almost always the wrong host.
 */
export class ManageSiteError extends ManageApiError {
  override name = 'ManageSiteError';
}

/** The client was given an option it cannot work with (empty key, page size over 1,000, …). */
export class ManageConfigError extends Error {
  override name = 'ManageConfigError';
}
