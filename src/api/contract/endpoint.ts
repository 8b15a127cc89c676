/**
 * Endpoint definitions: each HTTP endpoint is defined once (method, path, who may call it, zod
 * schemas of its input and output) and imported by the server, the CLI and the web console.
 * This folder imports only zod, so it runs in a browser too.
 */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: anyone (`public`), any signed-in user or API token (`viewer`), or
 * admins only (`admin`). Every endpoint that changes something is `admin`, except signing out.
 */
export type Access = 'public' | 'viewer' | 'admin';

/** One endpoint. Build it with {@link defineEndpoint} so its exact schema types are kept. */
export interface Endpoint {
  readonly method: HttpMethod;
  /** Path with `:name` placeholders, e.g. `/api/v1/users/:id`. */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly description?: string;
  /** OpenAPI tags grouping the endpoint in the docs. */
  readonly tags: readonly string[];
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The status of a successful answer. */
  readonly status: 200 | 201 | 202 | 204;
  /** The body of a successful answer; `null` when there is none (204). */
  readonly response: z.ZodType | null;
}

/**
 * Declares an endpoint, keeping its literal types.
 *
 * @example
 * export const getUser = defineEndpoint({
 *   method: 'GET', path: '/api/v1/users/:id', summary: 'One user', tags: ['users'],
 *   access: 'admin', params: z.object({ id: z.string() }), status: 200, response: UserSchema,
 * });
 */
export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** Path parameters as the server sees them (after parsing). */
export type ParamsOf<E extends Endpoint> = Out<E['params']>;
/** Query parameters as the server sees them (after parsing). */
export type QueryOf<E extends Endpoint> = Out<E['query']>;
/** The request body as the server sees it (after parsing). */
export type BodyOf<E extends Endpoint> = Out<E['body']>;
/** The request body a client sends. */
export type RequestBodyOf<E extends Endpoint> = In<E['body']>;
/** The successful answer's body. */
export type ResponseOf<E extends Endpoint> = Out<E['response']>;

/**
 * The concrete path of `endpoint` with its `:name` placeholders filled in (URI-encoded).
 *
 * @example
 * pathFor(updateUser, { id: 'usr_01J…' }); // '/api/v1/users/usr_01J…'
 * @throws {Error} when a placeholder has no value.
 */
export function pathFor(endpoint: Endpoint, params: Readonly<Record<string, string>> = {}): string {
  return endpoint.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      throw new Error(`pathFor(${endpoint.path}): missing parameter ${name}`);
    }
    return encodeURIComponent(value);
  });
}
