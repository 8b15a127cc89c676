/** Errors of the secrets module; callers branch on the class. */

/** The master key is missing, malformed, or stored somewhere others can read it. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/**
 * A stored secret cannot be decrypted: it was altered, encrypted under another key, or is not an
 * envelope this version understands. The plaintext is never part of the message.
 */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
}
