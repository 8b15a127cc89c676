import { describe, expect, it } from 'vitest';
import { hashToken } from './hashing.js';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.js';
import { generateToken, tokenHint } from './tokens.js';

describe('passwords', () => {
  it('verify against their argon2id hash and nothing else', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
    expect(await verifyNothing('correct horse battery')).toBe(false);
  });
});

describe('tokens', () => {
  it('are psb_ plus 32 random bytes in base64url, hashed to SHA-256 hex', () => {
    const token = generateToken();
    expect(token).toMatch(/^psb_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(generateToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(tokenHint(token)).toBe(token.slice(0, 8));
  });
});
