/** Users of the caller's account; admins only (enforced by each endpoint's `access`). */
import * as users from '../../accounts/users.js';
import type { RouteModule } from '../app-types.js';
import { createUser, deleteUser, listUsers, updateUser } from '../contract/users.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';
import { userView } from './views.js';

export const userRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;
  const notFound = (id: string) => new ApiError('not_found', `This account has no user ${id}.`);

  route(app, listUsers, async ({ auth }) => ({
    users: (await users.listUsers(db, auth.accountId)).map(userView),
  }));

  route(app, createUser, async ({ auth, body }) =>
    userView(await users.createUser(db, auth.accountId, body, deps.now())),
  );

  route(app, updateUser, async ({ auth, params, body }) => {
    const changes: users.UserChanges = Object.fromEntries(
      Object.entries(body).filter(([, value]) => value !== undefined),
    );
    const user = await users.updateUser(db, auth.accountId, params.id, changes, deps.now());
    if (!user) throw notFound(params.id);
    return userView(user);
  });

  route(app, deleteUser, async ({ auth, params }) => {
    if (!(await users.deleteUser(db, auth.accountId, params.id))) throw notFound(params.id);
  });
};
