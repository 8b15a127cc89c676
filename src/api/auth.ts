/**
 * Authentication and authorisation of every request, in one `onRequest` hook.
 *
 * An endpoint's `access` (from its contract definition) says who may call it. A caller proves
 * who they are with the session cookie or with `Authorization: Bearer <API token>`; the hook
 * puts the result on `request.auth` before any handler runs. A route registered without an
 * `access` (not through `route()`) is closed by default: reads need a signed-in caller, writes
 * an admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { resolveApiToken } from '../accounts/api-tokens.js';
import { resolveSession } from '../accounts/sessions.js';
import type { AuthContext } from '../accounts/types.js';
import type { Database } from '../storage/schema.js';
import type { Access } from './contract/endpoint.js';
import { SESSION_COOKIE } from './contract/session.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; set by `route()` from the endpoint definition. */
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller; set before handlers run on every non-public route. */
    auth: AuthContext | undefined;
  }
}

/** Paths served by the OpenAPI UI plugin, which cannot carry an `access` of their own. */
const PUBLIC_PREFIXES = ['/api/docs'];

/** Options of {@link installAuth}. */
export interface AuthOptions {
  readonly db: Kysely<Database>;
  /** Whether a cleared session cookie is marked Secure, like the one set at sign-in. */
  readonly secureCookies: boolean;
  readonly now: () => Date;
}

/** Adds `request.auth` and the hook that fills it and enforces each route's access. */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request, reply) => {
    // Unknown routes answer 404 whoever asks; there is nothing behind them to protect.
    if (request.is404) return;
    const access = accessOf(request);
    if (access === 'public') return;

    const auth = await authenticate(request, reply, options);
    request.auth = auth;
    if (access === 'admin' && auth.role !== 'admin') {
      throw new ApiError('forbidden', 'This needs the admin role; your role is viewer.');
    }
  });
}

/**
 * The caller of a route that is not public. Handlers registered with `route()` get it as
 * `auth` already; raw fastify handlers call this.
 */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new ApiError('unauthorized', 'Sign in first.');
  return request.auth;
}

/** Like {@link requireAuth}, and refuses callers that are not admins. */
export function requireAdmin(request: FastifyRequest): AuthContext {
  const auth = requireAuth(request);
  if (auth.role !== 'admin') {
    throw new ApiError('forbidden', 'This needs the admin role; your role is viewer.');
  }
  return auth;
}

function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config.access;
  if (declared) return declared;
  const url = request.routeOptions.url ?? '';
  if (PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) {
    return 'public';
  }
  return request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin';
}

async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  options: AuthOptions,
): Promise<AuthContext> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError('unauthorized', 'The Authorization header must be "Bearer <API token>".');
    }
    const auth = await resolveApiToken(options.db, match[1], options.now());
    if (!auth) throw new ApiError('unauthorized', 'The API token is unknown or revoked.');
    return auth;
  }

  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    const auth = await resolveSession(options.db, token, options.now());
    if (auth) return auth;
    clearSessionCookie(reply, options.secureCookies);
    throw new ApiError('unauthorized', 'Your session has ended. Sign in again.');
  }
  throw new ApiError(
    'unauthorized',
    'Sign in, or send an API token as "Authorization: Bearer <token>".',
  );
}

/** Sets the session cookie: http-only, SameSite=Lax, Secure when configured, until `expires`. */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expires: Date,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires,
  });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
