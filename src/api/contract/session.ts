/** Signing in and out of the console, and who the caller is. */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../accounts/password-policy.js';
import { RoleSchema, TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';
import { UserSchema } from './users.js';

/** The cookie holding the session token (http-only, SameSite=Lax, Secure unless on loopback). */
export const SESSION_COOKIE = 'psabridge_session';

export const LoginSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

export const MeSchema = z.object({
  account: z.object({ id: z.string(), name: z.string() }),
  role: RoleSchema,
  via: z.enum(['session', 'api_token']),
  /** The signed-in user; `null` when the caller is an API token. */
  user: UserSchema.nullable(),
});
export type Me = z.infer<typeof MeSchema>;

export const SessionSchema = MeSchema.extend({ expiresAt: TimestampSchema });

/**
 * Signs in with email and password and sets the session cookie. A wrong password and an unknown
 * email get the same `401`; repeated attempts from one address get `429`.
 */
export const login = defineEndpoint({
  method: 'POST',
  path: '/api/v1/session',
  summary: 'Sign in',
  tags: ['session'],
  access: 'public',
  body: LoginSchema,
  status: 200,
  response: SessionSchema,
});

/** Signs out: ends the session of the cookie, if any, and clears the cookie. */
export const logout = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/session',
  summary: 'Sign out',
  tags: ['session'],
  access: 'public',
  status: 204,
  response: null,
});

/** The caller: account, role, and the user when signed in with a session. */
export const getMe = defineEndpoint({
  method: 'GET',
  path: '/api/v1/me',
  summary: 'Who am I',
  tags: ['session'],
  access: 'viewer',
  status: 200,
  response: MeSchema,
});
