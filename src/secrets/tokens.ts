/** Random bearer tokens: shown to their owner once, stored only as {@link hashToken} hashes. */
import { randomBytes } from 'node:crypto';

/** The prefix of every psabridge token, so secret scanners and people can recognise one. */
export const TOKEN_PREFIX = 'psb_';

/**
 * A new token: `psb_` followed by 32 random bytes in base64url (43 characters).
 *
 * @example
 * generateToken(); // 'psb_Qm9hcmQ…'
 */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The part of a token safe to show again (in token lists): the prefix and the first 4 random
 * characters. Too short to help guess the rest.
 */
export function tokenHint(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 4);
}
