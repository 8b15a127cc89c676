/**
 * Hashing of high-entropy tokens (session tokens, API tokens). A token carries 256 random bits,
 * so a single SHA-256 is enough to store it safely and fast enough to check on every request;
 * passwords, which are guessable, use argon2 instead (see `passwords.ts`).
 */
import { createHash } from 'node:crypto';

/** SHA-256 of a UTF-8 string, as 64 lowercase hex digits. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The stored form of a token: its SHA-256 in hex. Look tokens up by this value. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}
