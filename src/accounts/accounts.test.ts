import { expect, it } from 'vitest';
import { describeEachDialect } from '../storage/testing.js';
import { createAccount, getAccount, listAccounts } from './accounts.js';
import {
  LAST_USED_RESOLUTION_MS,
  createApiToken,
  getApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
} from './api-tokens.js';
import { EmailInUseError, LastAdminError, WeakPasswordError } from './errors.js';
import { createSession, deleteSession, purgeExpiredSessions, resolveSession } from './sessions.js';
import {
  authenticateUser,
  countAllUsers,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
} from './users.js';

const PASSWORD = 'a long enough password';
let counter = 0;
const email = (tag: string) => `${tag}-${process.pid}-${++counter}@example.com`;

describeEachDialect('accounts and users', (ctx) => {
  it('creates accounts and reads them back', async () => {
    const account = await createAccount(ctx.db, { name: '  Acme MSP ' });
    expect(account.name).toBe('Acme MSP');
    expect(account.id).toMatch(/^acc_/);
    expect(await getAccount(ctx.db, account.id)).toEqual(account);
    expect(await listAccounts(ctx.db)).toContainEqual(account);
  });

  it('creates a user with a normalised email and no password in the result', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const address = email('Admin');
    const user = await createUser(ctx.db, account.id, {
      email: `  ${address.toUpperCase()} `,
      displayName: 'Ada Admin',
      role: 'admin',
      password: PASSWORD,
    });
    expect(user).toMatchObject({
      accountId: account.id,
      email: address.toLowerCase(),
      role: 'admin',
      disabled: false,
    });
    expect(JSON.stringify(user)).not.toMatch(/argon|password/i);
    expect(await getUser(ctx.db, account.id, user.id)).toEqual(user);
    expect(await countAllUsers(ctx.db)).toBeGreaterThan(0);
  });

  it('refuses a second user with the same email, in any account and any case', async () => {
    const a = await createAccount(ctx.db, { name: 'A' });
    const b = await createAccount(ctx.db, { name: 'B' });
    const address = email('dup');
    await createUser(ctx.db, a.id, {
      email: address,
      displayName: 'A',
      role: 'admin',
      password: PASSWORD,
    });
    await expect(
      createUser(ctx.db, b.id, {
        email: address.toUpperCase(),
        displayName: 'B',
        role: 'viewer',
        password: PASSWORD,
      }),
    ).rejects.toThrow(EmailInUseError);
  });

  it('refuses a password under 12 characters', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    await expect(
      createUser(ctx.db, account.id, {
        email: email('weak'),
        displayName: 'W',
        role: 'viewer',
        password: 'short',
      }),
    ).rejects.toThrow(
      new WeakPasswordError('Password too short: use at least 12 characters (got 5).'),
    );
  });

  it('authenticates only the right password of an enabled user', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const address = email('login');
    const user = await createUser(ctx.db, account.id, {
      email: address,
      displayName: 'L',
      role: 'viewer',
      password: PASSWORD,
    });
    expect(await authenticateUser(ctx.db, address.toUpperCase(), PASSWORD)).toEqual(user);
    expect(await authenticateUser(ctx.db, address, 'wrong password!!')).toBeUndefined();
    expect(await authenticateUser(ctx.db, email('nobody'), PASSWORD)).toBeUndefined();
  });

  it('keeps the last enabled admin from being demoted, disabled or deleted', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const admin = await createUser(ctx.db, account.id, {
      email: email('a'),
      displayName: 'A',
      role: 'admin',
      password: PASSWORD,
    });
    await expect(updateUser(ctx.db, account.id, admin.id, { role: 'viewer' })).rejects.toThrow(
      LastAdminError,
    );
    await expect(updateUser(ctx.db, account.id, admin.id, { disabled: true })).rejects.toThrow(
      LastAdminError,
    );
    await expect(deleteUser(ctx.db, account.id, admin.id)).rejects.toThrow(LastAdminError);

    const second = await createUser(ctx.db, account.id, {
      email: email('b'),
      displayName: 'B',
      role: 'admin',
      password: PASSWORD,
    });
    expect((await updateUser(ctx.db, account.id, admin.id, { role: 'viewer' }))?.role).toBe(
      'viewer',
    );
    expect(await deleteUser(ctx.db, account.id, admin.id)).toBe(true);
    expect(await listUsers(ctx.db, account.id)).toEqual([second]);
  });

  it('signs a user out everywhere when disabled or given a new password', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    await createUser(ctx.db, account.id, {
      email: email('adm'),
      displayName: 'A',
      role: 'admin',
      password: PASSWORD,
    });
    const user = await createUser(ctx.db, account.id, {
      email: email('v'),
      displayName: 'V',
      role: 'viewer',
      password: PASSWORD,
    });

    const first = await createSession(ctx.db, { accountId: account.id, userId: user.id });
    await updateUser(ctx.db, account.id, user.id, { password: 'another long password' });
    expect(await resolveSession(ctx.db, first.token)).toBeUndefined();

    const second = await createSession(ctx.db, { accountId: account.id, userId: user.id });
    await updateUser(ctx.db, account.id, user.id, { disabled: true });
    expect(await resolveSession(ctx.db, second.token)).toBeUndefined();
    expect(await authenticateUser(ctx.db, user.email, 'another long password')).toBeUndefined();
  });

  it("never shows or changes one account's users to another account", async () => {
    const mine = await createAccount(ctx.db, { name: 'Mine' });
    const theirs = await createAccount(ctx.db, { name: 'Theirs' });
    const other = await createUser(ctx.db, theirs.id, {
      email: email('t'),
      displayName: 'T',
      role: 'admin',
      password: PASSWORD,
    });
    expect(await listUsers(ctx.db, mine.id)).toEqual([]);
    expect(await getUser(ctx.db, mine.id, other.id)).toBeUndefined();
    expect(await updateUser(ctx.db, mine.id, other.id, { displayName: 'hacked' })).toBeUndefined();
    expect(await deleteUser(ctx.db, mine.id, other.id)).toBe(false);
    expect((await getUser(ctx.db, theirs.id, other.id))?.displayName).toBe('T');
  });
});

describeEachDialect('sessions', (ctx) => {
  it('resolve to the user, account and current role until they expire', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    await createUser(ctx.db, account.id, {
      email: email('adm'),
      displayName: 'A',
      role: 'admin',
      password: PASSWORD,
    });
    const user = await createUser(ctx.db, account.id, {
      email: email('s'),
      displayName: 'S',
      role: 'admin',
      password: PASSWORD,
    });
    const start = new Date('2026-01-01T00:00:00Z');
    const session = await createSession(
      ctx.db,
      { accountId: account.id, userId: user.id, ttlMs: 60_000 },
      start,
    );
    expect(session.token).toMatch(/^psb_/);

    const stored = await ctx.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(session.token);

    const during = new Date(start.getTime() + 30_000);
    expect(await resolveSession(ctx.db, session.token, during)).toEqual({
      accountId: account.id,
      userId: user.id,
      role: 'admin',
      via: 'session',
      credentialId: session.id,
    });
    await updateUser(ctx.db, account.id, user.id, { role: 'viewer' });
    expect((await resolveSession(ctx.db, session.token, during))?.role).toBe('viewer');
    expect(
      await resolveSession(ctx.db, session.token, new Date(start.getTime() + 60_000)),
    ).toBeUndefined();
    expect(
      await purgeExpiredSessions(ctx.db, new Date(start.getTime() + 60_000)),
    ).toBeGreaterThanOrEqual(1);
  });

  it('end on logout and ignore unknown tokens', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const user = await createUser(ctx.db, account.id, {
      email: email('o'),
      displayName: 'O',
      role: 'admin',
      password: PASSWORD,
    });
    const session = await createSession(ctx.db, { accountId: account.id, userId: user.id });
    await deleteSession(ctx.db, session.token);
    expect(await resolveSession(ctx.db, session.token)).toBeUndefined();
    expect(await resolveSession(ctx.db, 'psb_unknown')).toBeUndefined();
  });
});

describeEachDialect('API tokens', (ctx) => {
  it('are shown once, stored hashed, resolve to their account and role', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token, apiToken } = await createApiToken(ctx.db, account.id, {
      name: 'backup script',
      role: 'viewer',
    });
    expect(token).toMatch(/^psb_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({
      name: 'backup script',
      role: 'viewer',
      hint: token.slice(0, 8),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(await listApiTokens(ctx.db, account.id))).not.toContain(token);

    const row = await ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(Object.values(row)).not.toContain(token);

    expect(await resolveApiToken(ctx.db, token)).toEqual({
      accountId: account.id,
      role: 'viewer',
      via: 'api_token',
      credentialId: apiToken.id,
    });
  });

  it('record their last use at most once per resolution window', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const { token, apiToken } = await createApiToken(ctx.db, account.id, {
      name: 't',
      role: 'admin',
    });
    const t0 = new Date('2026-02-01T00:00:00Z');
    await resolveApiToken(ctx.db, token, t0);
    await resolveApiToken(ctx.db, token, new Date(t0.getTime() + 1000));
    expect((await getApiToken(ctx.db, account.id, apiToken.id))?.lastUsedAt).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1);
    await resolveApiToken(ctx.db, token, later);
    expect((await getApiToken(ctx.db, account.id, apiToken.id))?.lastUsedAt).toBe(
      later.toISOString(),
    );
  });

  it('stop working once revoked, and only their own account can revoke them', async () => {
    const mine = await createAccount(ctx.db, { name: 'Mine' });
    const theirs = await createAccount(ctx.db, { name: 'Theirs' });
    const { token, apiToken } = await createApiToken(ctx.db, theirs.id, {
      name: 't',
      role: 'admin',
    });

    expect(await revokeApiToken(ctx.db, mine.id, apiToken.id)).toBeUndefined();
    expect(await listApiTokens(ctx.db, mine.id)).toEqual([]);
    expect(await resolveApiToken(ctx.db, token)).toBeDefined();

    const revoked = await revokeApiToken(ctx.db, theirs.id, apiToken.id);
    expect(revoked?.revokedAt).not.toBeNull();
    expect(await resolveApiToken(ctx.db, token)).toBeUndefined();
  });
});
