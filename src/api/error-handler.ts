/**
 * The one place errors become answers: every error a request can end with, ours or fastify's,
 * leaves as `{ "error": { "code", "message", "errors"? } }`. Unexpected errors are logged with
 * the request id and answered with a bare "internal error": no stack, no internals.
 */
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './contract/errors.js';
import { toApiError } from './error-mapping.js';

/** Installs the error handler and the 404 handler on `app`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const apiError = toApiError(err);
    if (!apiError || apiError.status >= 500) {
      request.log.error({ err }, 'request failed');
    }
    if (!apiError) {
      const body: ErrorBody = {
        error: { code: 'internal', message: 'internal error', requestId: request.id },
      };
      return reply.code(500).send(body);
    }

    const body: ErrorBody = {
      error: {
        code: apiError.code,
        message: apiError.message,
        ...(apiError.errors ? { errors: [...apiError.errors] } : {}),
        ...(apiError.status >= 500 ? { requestId: request.id } : {}),
      },
    };
    return reply.code(apiError.status).headers(apiError.headers).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const body: ErrorBody = {
      error: { code: 'not_found', message: `No endpoint ${request.method} ${path}.` },
    };
    return reply.code(404).send(body);
  });
}
