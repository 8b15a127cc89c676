/** Domain objects as the contract shows them. */
import type { ApiToken, User } from '../../accounts/types.js';
import type { ApiTokenView } from '../contract/tokens.js';
import type { UserView } from '../contract/users.js';

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function apiTokenView(token: ApiToken): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    hint: token.hint,
    createdByUserId: token.createdByUserId,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
  };
}
