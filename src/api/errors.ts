/** The one error type request handlers throw; `error-handler.ts` turns it into the error body. */
import { ERROR_STATUS, type ErrorCode, type ErrorDetail } from './contract/errors.js';

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** Per-field problems, sent as `error.errors`. */
  readonly errors?: readonly ErrorDetail[];
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * An error with a code from the closed set of the contract and a message safe to show to the
 * caller. Throw it from handlers; the status follows from the code.
 *
 * @example
 * throw new ApiError('not_found', `No user ${id} in this account.`);
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly errors: readonly ErrorDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}
