/** The account's incident rules: read by anyone signed in, replaced by admins. */
import { RulesValidationError, resolveRules } from '../../domain/index.js';
import { getRulesOverride, saveRulesOverride } from '../../rules/index.js';
import type { RouteModule } from '../app-types.js';
import { getRulesEndpoint, putRulesEndpoint, type RulesView } from '../contract/rules.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

export const rulesRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, getRulesEndpoint, async ({ auth }) => {
    const stored = await getRulesOverride(db, auth.accountId);
    return view(stored.override, stored.updatedAt);
  });

  route(app, putRulesEndpoint, async ({ auth, body }) => {
    try {
      const saved = await saveRulesOverride(db, auth.accountId, body, deps.now());
      return view(saved.override, saved.updatedAt);
    } catch (error) {
      if (!(error instanceof RulesValidationError)) throw error;
      throw new ApiError('validation_failed', 'The rules are not valid; nothing was saved.', {
        errors: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
        cause: error,
      });
    }
  });
};

function view(override: object, updatedAt: string | null): RulesView {
  return {
    rules: resolveRules(override),
    override: override as Record<string, unknown>,
    updatedAt,
  };
}
