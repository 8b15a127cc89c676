/**
 * The password policy. Free of Node-only imports, so the API contract (and through it the web
 * console) can show the same rule the server enforces.
 */

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest password accepted; bounds the work one login attempt can cost the server. */
export const MAX_PASSWORD_LENGTH = 1024;

/** The reason `password` is not acceptable, or `undefined` when it is. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `Password too short: use at least ${MIN_PASSWORD_LENGTH} characters (got ${length}).`;
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return `Password too long: use at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  if (password.trim() === '') return 'Password must not be only spaces.';
  return undefined;
}
