/**
 * Which errors become which API answers. Everything a request can fail with passes through
 * {@link toApiError}, called by the one error handler; domain errors are mapped in
 * {@link DOMAIN_ERRORS} (a part adding a domain error adds one line there).
 */
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EmailInUseError, LastAdminError, WeakPasswordError } from '../accounts/errors.js';
import type { ErrorCode, ErrorDetail } from './contract/errors.js';
import { ApiError } from './errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Domain errors and the answer each gets. Their messages are written for the caller. */
const DOMAIN_ERRORS: readonly (readonly [ErrorClass, (err: Error) => ApiError])[] = [
  [EmailInUseError, (err) => new ApiError('conflict', err.message, { cause: err })],
  [LastAdminError, (err) => new ApiError('conflict', err.message, { cause: err })],
  [
    WeakPasswordError,
    (err) =>
      new ApiError('validation_failed', 'The password is not acceptable.', {
        errors: [{ path: 'password', message: err.message }],
        cause: err,
      }),
  ],
];

/** Fastify's own request errors whose message we replace with a clearer one. */
const FASTIFY_ERRORS: Readonly<Record<string, (err: FastifyError) => ApiError>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new ApiError('bad_request', 'The request body is not valid JSON. Send a JSON document.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new ApiError(
      'bad_request',
      'The request body is empty but Content-Type is application/json. Send a JSON document, ' +
        'or no Content-Type.',
    ),
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new ApiError('payload_too_large', 'The request body is larger than this endpoint accepts.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError(
      'unsupported_media_type',
      'This Content-Type is not accepted here. Send application/json.',
    ),
};

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * The API answer for any error, or `undefined` when it is unexpected (an internal error the
 * handler logs and answers with a bare 500).
 */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;

  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = validationContextName(err.validationContext);
    return new ApiError('validation_failed', `The request ${where} is not valid.`, {
      errors: err.validation.map((issue) => ({
        path: fieldPath(err.validationContext, issue.instancePath),
        message: issue.message ?? 'invalid',
      })),
      cause: err,
    });
  }

  for (const [errorClass, map] of DOMAIN_ERRORS) {
    if (err instanceof errorClass) return map(err);
  }

  const fastifyError = err as Partial<FastifyError> | null;
  const code = fastifyError?.code;
  if (code !== undefined && FASTIFY_ERRORS[code]) {
    return FASTIFY_ERRORS[code](fastifyError as FastifyError);
  }
  // Other 4xx errors from fastify itself or its plugins: their messages describe the request,
  // not our internals, so they are passed on under the code of their status.
  const status = fastifyError?.statusCode;
  if (status !== undefined && status >= 400 && status < 500 && code?.startsWith('FST_')) {
    return new ApiError(
      STATUS_CODES[status] ?? 'bad_request',
      fastifyError?.message ?? 'bad request',
      {
        cause: err,
      },
    );
  }
  return undefined;
}

function validationContextName(context: string | undefined): string {
  switch (context) {
    case 'querystring':
      return 'query';
    case 'params':
      return 'path';
    case 'headers':
      return 'headers';
    default:
      return 'body';
  }
}

/** `/device/id` → `device.id`; outside the body the part is named: `query.limit`. */
function fieldPath(context: string | undefined, instancePath: string): ErrorDetail['path'] {
  const path = instancePath.split('/').filter(Boolean).join('.');
  if (context === undefined || context === 'body') return path;
  const prefix = validationContextName(context);
  return path ? `${prefix}.${path}` : prefix;
}
