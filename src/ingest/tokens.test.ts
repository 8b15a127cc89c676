import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createAccount } from '../accounts/accounts.js';
import { hashToken } from '../secrets/hashing.js';
import { describeEachDialect } from '../storage/testing.js';
import { IngestTokenValueError } from './errors.js';
import {
  INGEST_TOKEN_LAST_USED_RESOLUTION_MS,
  createIngestToken,
  listIngestTokens,
  resolveIngestToken,
  revokeIngestToken,
  setIngestTokenFromValue,
} from './tokens.js';

/** A value as configuration would give it; tests share a database, so each gets its own. */
const configured = (): string => `cfg-${randomBytes(24).toString('base64url')}`;

describeEachDialect('ingest tokens', (ctx) => {
  it('creates a token shown once and stores only its hash and hint', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token, ingestToken } = await createIngestToken(ctx.db, account.id, ' Console ');
    expect(token).toMatch(/^psb_[A-Za-z0-9_-]{43}$/);
    expect(ingestToken).toMatchObject({
      name: 'Console',
      hint: token.slice(0, 8),
      revokedAt: null,
    });

    const row = await ctx.db
      .selectFrom('ingest_tokens')
      .selectAll()
      .where('id', '=', ingestToken.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await listIngestTokens(ctx.db, account.id))).not.toContain(token);
  });

  it('resolves a live token to its account, and nothing once revoked', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token, ingestToken } = await createIngestToken(ctx.db, account.id, 'Console');
    expect(await resolveIngestToken(ctx.db, token)).toEqual({
      accountId: account.id,
      tokenId: ingestToken.id,
    });
    expect(await resolveIngestToken(ctx.db, `${token}x`)).toBeUndefined();

    const revoked = await revokeIngestToken(ctx.db, account.id, ingestToken.id);
    expect(revoked?.revokedAt).not.toBeNull();
    expect(await resolveIngestToken(ctx.db, token)).toBeUndefined();
    // Revoking again keeps the first revocation time.
    expect((await revokeIngestToken(ctx.db, account.id, ingestToken.id))?.revokedAt).toBe(
      revoked?.revokedAt,
    );
  });

  it('does not revoke a token of another account', async () => {
    const a = await createAccount(ctx.db, { name: 'A' });
    const b = await createAccount(ctx.db, { name: 'B' });
    const { token, ingestToken } = await createIngestToken(ctx.db, a.id, 'Console');
    expect(await revokeIngestToken(ctx.db, b.id, ingestToken.id)).toBeUndefined();
    expect(await resolveIngestToken(ctx.db, token)).toMatchObject({ accountId: a.id });
  });

  it('records last use at most once per resolution interval', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token, ingestToken } = await createIngestToken(ctx.db, account.id, 'Console');
    const lastUsed = async () =>
      (await listIngestTokens(ctx.db, account.id)).find((t) => t.id === ingestToken.id)?.lastUsedAt;
    const t0 = new Date('2026-12-03T10:00:00.000Z');
    await resolveIngestToken(ctx.db, token, t0);
    expect(await lastUsed()).toBe(t0.toISOString());
    await resolveIngestToken(ctx.db, token, new Date(t0.getTime() + 1000));
    expect(await lastUsed()).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + INGEST_TOKEN_LAST_USED_RESOLUTION_MS + 1);
    await resolveIngestToken(ctx.db, token, later);
    expect(await lastUsed()).toBe(later.toISOString());
  });

  it('sets a configured token idempotently', async () => {
    const value = configured();
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const first = await setIngestTokenFromValue(ctx.db, account.id, 'from-config', value);
    const second = await setIngestTokenFromValue(ctx.db, account.id, 'from-config', value);
    expect(second).toEqual(first);
    expect(await listIngestTokens(ctx.db, account.id)).toHaveLength(1);
    expect(await resolveIngestToken(ctx.db, value)).toMatchObject({ accountId: account.id });
  });

  it('brings a revoked configured token back, and rotates it when the value changes', async () => {
    const value = configured();
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const set = await setIngestTokenFromValue(ctx.db, account.id, 'from-config', value);
    await revokeIngestToken(ctx.db, account.id, set.id);
    const again = await setIngestTokenFromValue(ctx.db, account.id, 'from-config', value);
    expect(again).toMatchObject({ id: set.id, revokedAt: null });

    const rotated = `${value}-next`;
    await setIngestTokenFromValue(ctx.db, account.id, 'from-config', rotated);
    expect(await resolveIngestToken(ctx.db, value)).toBeUndefined();
    expect(await resolveIngestToken(ctx.db, rotated)).toMatchObject({ accountId: account.id });
  });

  it('keeps tokens of other names when a configured token is set', async () => {
    const value = configured();
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token } = await createIngestToken(ctx.db, account.id, 'Console');
    await setIngestTokenFromValue(ctx.db, account.id, 'from-config', `${value}-other`);
    expect(await resolveIngestToken(ctx.db, token)).toMatchObject({ accountId: account.id });
  });

  it('refuses a configured value that is weak, unsendable or used by another account', async () => {
    const value = configured();
    const a = await createAccount(ctx.db, { name: 'A' });
    const b = await createAccount(ctx.db, { name: 'B' });
    await expect(setIngestTokenFromValue(ctx.db, a.id, 'cfg', 'short')).rejects.toThrow(
      IngestTokenValueError,
    );
    await expect(
      setIngestTokenFromValue(ctx.db, a.id, 'cfg', `${value} with spaces`),
    ).rejects.toThrow(/printable ASCII/);
    await expect(setIngestTokenFromValue(ctx.db, a.id, ' ', value)).rejects.toThrow(
      IngestTokenValueError,
    );

    const shared = `${value}-shared`;
    await setIngestTokenFromValue(ctx.db, a.id, 'cfg', shared);
    await expect(setIngestTokenFromValue(ctx.db, b.id, 'cfg', shared)).rejects.toThrow(
      /another account/,
    );
    expect(await listIngestTokens(ctx.db, b.id)).toEqual([]);
  });

  it('sets the same configured token from concurrent callers once', async () => {
    const value = configured();
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        setIngestTokenFromValue(ctx.db, account.id, 'from-config', value),
      ),
    );
    expect(new Set(results.map((t) => t.id)).size).toBe(1);
    expect(await listIngestTokens(ctx.db, account.id)).toHaveLength(1);
  });
});
