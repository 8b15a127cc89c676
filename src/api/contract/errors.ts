/**
 * The one error body of the API, and its closed set of codes. Clients branch on `code`; the
 * message is for people.
 *
 *     { "error": { "code": "validation_failed", "message": "…",
 *                  "errors": [{ "path": "email", "message": "…" }] } }
 */
import { z } from 'zod';

/** Every error code, with the HTTP status it is sent with. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** One problem with one field. `index` is set when the request carried a list of items. */
export const ErrorDetailSchema = z.object({
  index: z.number().int().nonnegative().optional(),
  path: z.string().describe('Dotted path of the field, e.g. `device.id`; empty for the whole item'),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    errors: z.array(ErrorDetailSchema).optional(),
    requestId: z.string().optional().describe('Quote it when reporting an internal error'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
