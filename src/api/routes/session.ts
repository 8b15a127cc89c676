/** Sign in, sign out, and who am I. */
import type { Kysely } from 'kysely';
import { getAccount } from '../../accounts/accounts.js';
import { createSession, deleteSession } from '../../accounts/sessions.js';
import type { AuthContext } from '../../accounts/types.js';
import { authenticateUser, getUser } from '../../accounts/users.js';
import type { Database } from '../../storage/schema.js';
import type { RouteModule } from '../app-types.js';
import { clearSessionCookie, setSessionCookie } from '../auth.js';
import { SESSION_COOKIE, getMe, login, logout, type Me } from '../contract/session.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';
import { userView } from './views.js';

export const sessionRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;
  const secure = deps.config.secureCookies;

  route(
    app,
    login,
    async ({ body, reply }) => {
      const user = await authenticateUser(db, body.email, body.password);
      // One answer for an unknown email, a wrong password and a disabled user (see
      // authenticateUser), so the form does not reveal who has an account.
      if (!user) throw new ApiError('unauthorized', 'Email or password is incorrect.');

      const session = await createSession(
        db,
        { accountId: user.accountId, userId: user.id },
        deps.now(),
      );
      setSessionCookie(reply, session.token, new Date(session.expiresAt), secure);
      const auth: AuthContext = {
        accountId: user.accountId,
        userId: user.id,
        role: user.role,
        via: 'session',
        credentialId: session.id,
      };
      return { ...(await describeCaller(db, auth)), expiresAt: session.expiresAt };
    },
    { rateLimit: { max: deps.loginRateLimit.max, timeWindow: deps.loginRateLimit.windowMs } },
  );

  route(app, logout, async ({ request, reply }) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deleteSession(db, token);
    clearSessionCookie(reply, secure);
  });

  route(app, getMe, async ({ auth }) => describeCaller(db, auth));
};

async function describeCaller(db: Kysely<Database>, auth: AuthContext): Promise<Me> {
  const account = await getAccount(db, auth.accountId);
  if (!account) throw new ApiError('unauthorized', 'This account no longer exists.');
  const user =
    auth.userId === undefined ? undefined : await getUser(db, auth.accountId, auth.userId);
  return {
    account: { id: account.id, name: account.name },
    role: auth.role,
    via: auth.via,
    user: user ? userView(user) : null,
  };
}
