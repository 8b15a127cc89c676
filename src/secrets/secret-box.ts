/**
 * Authenticated encryption of secrets at rest (ConnectWise private keys and the like) with
 * AES-256-GCM under the master key.
 *
 * An encrypted value is one text envelope, so it fits a plain text column on both databases:
 *
 *     v1:<keyId>:<iv>:<ciphertext>:<tag>      (every part base64url)
 *
 * `v1` names the format. `keyId` names the key, so a key can be rotated later: keep the old key
 * in `previous`, re-encrypt what {@link SecretBox.needsReencryption} reports, then drop it.
 * Each value gets a fresh random 12-byte IV (GCM's standard size; never reused under one key).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { MasterKeyError, SecretDecryptError } from './errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Keys a {@link SecretBox} uses: `current` encrypts; `current` and `previous` decrypt. */
export interface SecretBoxKeys {
  readonly current: Uint8Array;
  /** Retired keys still able to decrypt old values. Default none. */
  readonly previous?: readonly Uint8Array[];
}

/**
 * The short public identifier of a key: the first 8 hex digits of a SHA-256 over it. It tells
 * which key encrypted a value without revealing anything usable about the key.
 */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update('psabridge-key-id:').update(key).digest('hex').slice(0, 8);
}

/**
 * Encrypts and decrypts secrets. Pass a `context` (for example `connectwise:acc_…`) to bind a
 * value to where it is stored: a value copied into another account's row then fails to decrypt.
 *
 * @example
 * const box = new SecretBox({ current: masterKey });
 * const stored = box.encrypt('private-key', 'connectwise:acc_01H…');
 * box.decrypt(stored, 'connectwise:acc_01H…'); // 'private-key'
 */
export class SecretBox {
  readonly #current: { id: string; key: Buffer };
  readonly #byId = new Map<string, Buffer>();

  constructor(keys: SecretBoxKeys) {
    for (const key of [keys.current, ...(keys.previous ?? [])]) {
      if (key.length !== KEY_BYTES) {
        throw new MasterKeyError(
          `An encryption key must be ${KEY_BYTES} bytes, got ${key.length}. ` +
            'Generate one with: openssl rand -base64 32',
        );
      }
      this.#byId.set(keyIdOf(key), Buffer.from(key));
    }
    this.#current = { id: keyIdOf(keys.current), key: Buffer.from(keys.current) };
  }

  /** The id of the key new values are encrypted with. */
  get keyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext` into a self-describing envelope string. */
  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.#current.id, b64(iv), b64(ciphertext), b64(tag)].join(':');
  }

  /**
   * Decrypts an envelope made by {@link encrypt} with the same `context`.
   *
   * @throws {SecretDecryptError} when the envelope is malformed, its key is unknown, or it (or
   *   its context) was altered.
   */
  decrypt(envelope: string, context = ''): string {
    const parts = envelope.split(':');
    const [version, keyId, iv, ciphertext, tag] = parts;
    if (
      parts.length !== 5 ||
      version !== VERSION ||
      !keyId ||
      !iv ||
      !tag ||
      ciphertext === undefined
    ) {
      throw new SecretDecryptError(
        `Not an encrypted value of format ${VERSION}; it may have been stored by a newer version ` +
          'or edited by hand. Enter the secret again.',
      );
    }
    const key = this.#byId.get(keyId);
    if (!key) {
      throw new SecretDecryptError(
        `This value was encrypted with key ${keyId}, which is not configured (current key: ` +
          `${this.#current.id}). Restore that master key, or enter the secret again.`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, fromB64(iv), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(fromB64(tag));
      return Buffer.concat([decipher.update(fromB64(ciphertext)), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new SecretDecryptError(
        'An encrypted value failed its integrity check: it was altered or belongs elsewhere. ' +
          'Enter the secret again.',
        { cause },
      );
    }
  }

  /** True when `envelope` was encrypted with a key other than the current one. */
  needsReencryption(envelope: string): boolean {
    return envelope.split(':')[1] !== this.#current.id;
  }
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function fromB64(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}
