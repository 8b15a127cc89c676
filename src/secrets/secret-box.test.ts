import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MasterKeyError, SecretDecryptError } from './errors.js';
import { SecretBox, keyIdOf } from './secret-box.js';

const key = () => new Uint8Array(randomBytes(32));

/** Flips one bit of the base64url part `index` of an envelope. */
function tamper(envelope: string, index: number): string {
  const parts = envelope.split(':');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('SecretBox', () => {
  it('round-trips a secret through a versioned envelope naming its key', () => {
    const k = key();
    const box = new SecretBox({ current: k });
    const envelope = box.encrypt('s3cr3t private key ✓', 'connectwise:acc_1');
    const parts = envelope.split(':');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(keyIdOf(k));
    expect(Buffer.from(parts[2] ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(envelope).not.toContain('s3cr3t');
    expect(box.decrypt(envelope, 'connectwise:acc_1')).toBe('s3cr3t private key ✓');
  });

  it('uses a fresh IV for every value', () => {
    const box = new SecretBox({ current: key() });
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('detects a changed ciphertext, tag or IV', () => {
    const box = new SecretBox({ current: key() });
    const envelope = box.encrypt('value');
    for (const part of [2, 3, 4]) {
      expect(() => box.decrypt(tamper(envelope, part))).toThrow(SecretDecryptError);
    }
  });

  it('refuses a value moved to another context', () => {
    const box = new SecretBox({ current: key() });
    const envelope = box.encrypt('value', 'connectwise:acc_1');
    expect(() => box.decrypt(envelope, 'connectwise:acc_2')).toThrow(/integrity check/);
  });

  it('names an unknown key instead of failing obscurely', () => {
    const other = new SecretBox({ current: key() });
    const box = new SecretBox({ current: key() });
    expect(() => box.decrypt(other.encrypt('value'))).toThrow(
      new RegExp(`encrypted with key ${other.keyId}, which is not configured`),
    );
  });

  it('decrypts with a previous key after rotation and reports what to re-encrypt', () => {
    const oldKey = key();
    const envelope = new SecretBox({ current: oldKey }).encrypt('value');
    const rotated = new SecretBox({ current: key(), previous: [oldKey] });
    expect(rotated.decrypt(envelope)).toBe('value');
    expect(rotated.needsReencryption(envelope)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('value'))).toBe(false);
  });

  it('rejects malformed envelopes and wrong key sizes', () => {
    const box = new SecretBox({ current: key() });
    expect(() => box.decrypt('plain text')).toThrow(SecretDecryptError);
    expect(() => box.decrypt('v2:a:b:c:d')).toThrow(/format v1/);
    expect(() => new SecretBox({ current: new Uint8Array(16) })).toThrow(MasterKeyError);
  });
});
