/** Ingest tokens of the caller's account; admins only. The secret is in the create answer alone. */
import * as tokens from '../../ingest/tokens.js';
import type { RouteModule } from '../app-types.js';
import {
  createIngestToken,
  listIngestTokens,
  revokeIngestToken,
  type IngestTokenView,
} from '../contract/ingest-tokens.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

/** List, create and revoke the account's ingest tokens. */
export const ingestTokenRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listIngestTokens, async ({ auth }) => ({
    tokens: (await tokens.listIngestTokens(db, auth.accountId)).map(ingestTokenView),
  }));

  route(app, createIngestToken, async ({ auth, body }) => {
    const created = await tokens.createIngestToken(db, auth.accountId, body.name, deps.now());
    return { token: created.token, ingestToken: ingestTokenView(created.ingestToken) };
  });

  route(app, revokeIngestToken, async ({ auth, params }) => {
    const revoked = await tokens.revokeIngestToken(db, auth.accountId, params.id, deps.now());
    if (!revoked) {
      throw new ApiError('not_found', `This account has no ingest token ${params.id}.`);
    }
  });
};

function ingestTokenView(token: tokens.IngestToken): IngestTokenView {
  return {
    id: token.id,
    name: token.name,
    hint: token.hint,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
  };
}
