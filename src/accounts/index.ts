export { createAccount, getAccount, listAccounts } from './accounts.js';
export {
  LAST_USED_RESOLUTION_MS,
  createApiToken,
  getApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
  type NewApiToken,
} from './api-tokens.js';
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.js';
export { AccountsError, EmailInUseError, LastAdminError, WeakPasswordError } from './errors.js';
export {
  DEFAULT_SESSION_TTL_MS,
  createSession,
  deleteSession,
  deleteSessionsOfUser,
  purgeExpiredSessions,
  resolveSession,
  type NewSession,
} from './sessions.js';
export {
  ROLES,
  type Account,
  type ApiToken,
  type AuthContext,
  type Role,
  type User,
} from './types.js';
export {
  authenticateUser,
  countAllUsers,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  normalizeEmail,
  updateUser,
  type NewUser,
  type UserChanges,
} from './users.js';
