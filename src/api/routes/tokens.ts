/** API tokens of the caller's account; admins only. The secret is in the create answer alone. */
import * as tokens from '../../accounts/api-tokens.js';
import type { RouteModule } from '../app-types.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../contract/tokens.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';
import { apiTokenView } from './views.js';

export const tokenRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listApiTokens, async ({ auth }) => ({
    tokens: (await tokens.listApiTokens(db, auth.accountId)).map(apiTokenView),
  }));

  route(app, createApiToken, async ({ auth, body }) => {
    const created = await tokens.createApiToken(
      db,
      auth.accountId,
      { name: body.name, role: body.role, createdByUserId: auth.userId },
      deps.now(),
    );
    return { token: created.token, apiToken: apiTokenView(created.apiToken) };
  });

  route(app, revokeApiToken, async ({ auth, params }) => {
    const revoked = await tokens.revokeApiToken(db, auth.accountId, params.id, deps.now());
    if (!revoked) throw new ApiError('not_found', `This account has no API token ${params.id}.`);
  });
};
