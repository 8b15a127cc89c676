/**
 * Password hashing with argon2id (the library's defaults: 19 MiB, 2 passes, 1 lane, which is
 * OWASP's recommended minimum). The password policy lives in `accounts/password-policy.ts`.
 */
import { hash, verify } from '@node-rs/argon2';

/** Hashes a password into a self-describing argon2id string (PHC format). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** True when `password` matches `passwordHash`; false for a mismatch or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one password check against a hash no password matches, so a login for an
 * unknown email takes as long as one with a wrong password and does not reveal which emails exist.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hash('psabridge timing equaliser, matches no login');
  await verifyPassword(await dummyHash, password);
  return false;
}
