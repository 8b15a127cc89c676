/**
 * Registers an endpoint of the contract on the server: its schemas become fastify's validation,
 * serialisation and OpenAPI entry; its `access` is enforced by the auth hook; the handler gets
 * typed input and returns the answer's body.
 */
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import type { AuthContext } from '../accounts/types.js';
import type { ApiApp } from './app-types.js';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from './contract/endpoint.js';
import { ErrorBodySchema } from './contract/errors.js';

/** What a handler receives. `auth` is always set unless the endpoint is public. */
export interface HandlerInput<E extends Endpoint> {
  readonly params: ParamsOf<E>;
  readonly query: QueryOf<E>;
  readonly body: BodyOf<E>;
  readonly auth: E['access'] extends 'public' ? AuthContext | undefined : AuthContext;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A handler returns the body of the endpoint's success answer (nothing for 204). */
export type Handler<E extends Endpoint> = (
  input: HandlerInput<E>,
) => Promise<E['response'] extends null ? void : ResponseOf<E>>;

/** Per-route server settings that are not part of the contract. */
export interface RouteExtras {
  /** Largest accepted body in bytes. Default: the app's (1 MiB). */
  readonly bodyLimit?: number;
  /** `@fastify/rate-limit` settings for this route, e.g. `{ max: 10, timeWindow: 60_000 }`. */
  readonly rateLimit?: { readonly max: number; readonly timeWindow: number };
}

/**
 * Registers `endpoint` on `app` with `handler`.
 *
 * @example
 * route(app, getMe, async ({ auth }) => describeCaller(auth));
 */
export function route<E extends Endpoint>(
  app: ApiApp,
  endpoint: E,
  handler: Handler<E>,
  extras: RouteExtras = {},
): void {
  const response: Record<string, unknown> = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema };
  // `null` makes the OpenAPI document list the status without a body.
  response[endpoint.status] = endpoint.response ?? z.null().describe('No content');

  const options: RouteShorthandOptions = {
    schema: {
      summary: endpoint.summary,
      ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
      tags: [...endpoint.tags],
      ...(endpoint.access === 'public'
        ? {}
        : { security: [{ sessionCookie: [] }, { bearerToken: [] }] }),
      ...(endpoint.params ? { params: endpoint.params } : {}),
      ...(endpoint.query ? { querystring: endpoint.query } : {}),
      ...(endpoint.body ? { body: endpoint.body } : {}),
      response,
    },
    config: {
      access: endpoint.access,
      ...(extras.rateLimit ? { rateLimit: extras.rateLimit } : {}),
    },
    ...(extras.bodyLimit === undefined ? {} : { bodyLimit: extras.bodyLimit }),
  };

  app.route({
    ...options,
    method: endpoint.method,
    url: endpoint.path,
    handler: async (request, reply) => {
      const result = await handler({
        params: request.params as ParamsOf<E>,
        query: request.query as QueryOf<E>,
        body: request.body as BodyOf<E>,
        auth: request.auth as HandlerInput<E>['auth'],
        request,
        reply,
      });
      reply.code(endpoint.status);
      return endpoint.response ? result : reply.send();
    },
  });
}
