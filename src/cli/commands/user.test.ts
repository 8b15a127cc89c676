import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { createAccount } from '../../accounts/accounts.js';
import { authenticateUser } from '../../accounts/users.js';
import { describeEachDialect } from '../../storage/testing.js';
import { DEFAULT_ACCOUNT_NAME, UserCommandError, addUser, readPasswordFromStdin } from './user.js';

const PASSWORD = 'a long enough password';

// Each dialect block starts from an empty database, and these tests build on each other in
// order: the first user of the install, then the next, then a second account.
describeEachDialect('psabridge user add', (ctx) => {
  it('creates the account and an admin when the install is empty', async () => {
    const { user, account, accountCreated } = await addUser(ctx.storage, {
      email: 'First@Example.com',
      displayName: 'First Admin',
      password: PASSWORD,
    });
    expect(accountCreated).toBe(true);
    expect(account.name).toBe(DEFAULT_ACCOUNT_NAME);
    expect(user).toMatchObject({
      email: 'first@example.com',
      role: 'admin',
      accountId: account.id,
    });
    expect(await authenticateUser(ctx.db, 'first@example.com', PASSWORD)).toEqual(user);
  });

  it('adds later users to the existing account as viewers unless told otherwise', async () => {
    const viewer = await addUser(ctx.storage, {
      email: 'v@example.com',
      displayName: 'V',
      password: PASSWORD,
    });
    const admin = await addUser(ctx.storage, {
      email: 'a2@example.com',
      displayName: 'A2',
      role: 'admin',
      password: PASSWORD,
    });
    expect(viewer.accountCreated).toBe(false);
    expect(viewer.user.role).toBe('viewer');
    expect(admin.user.role).toBe('admin');
    expect(admin.account.id).toBe(viewer.account.id);
  });

  it('refuses weak passwords, bad emails and taken emails with a message to act on', async () => {
    await expect(
      addUser(ctx.storage, { email: 'w@example.com', displayName: 'W', password: 'tooshort' }),
    ).rejects.toThrow(
      new UserCommandError('Password too short: use at least 12 characters (got 8).'),
    );
    await expect(
      addUser(ctx.storage, { email: 'not-an-email', displayName: 'W', password: PASSWORD }),
    ).rejects.toThrow(/^--email: /);
    await expect(
      addUser(ctx.storage, { email: 'FIRST@example.com', displayName: 'W', password: PASSWORD }),
    ).rejects.toThrow(/already exists/);
  });

  it('asks which account once the install has several', async () => {
    const second = await createAccount(ctx.db, { name: 'Second MSP' });
    await expect(
      addUser(ctx.storage, { email: 's@example.com', displayName: 'S', password: PASSWORD }),
    ).rejects.toThrow(/choose one with --account/);
    await expect(
      addUser(ctx.storage, {
        email: 's@example.com',
        displayName: 'S',
        password: PASSWORD,
        accountId: 'acc_nope',
      }),
    ).rejects.toThrow(/No account acc_nope/);
    const { user } = await addUser(ctx.storage, {
      email: 's@example.com',
      displayName: 'S',
      password: PASSWORD,
      accountId: second.id,
    });
    expect(user.accountId).toBe(second.id);
  });
});

it('reads a piped password without its final newline', async () => {
  expect(await readPasswordFromStdin(Readable.from([Buffer.from('pass word with spaces\n')]))).toBe(
    'pass word with spaces',
  );
  expect(await readPasswordFromStdin(Readable.from([Buffer.from('crlf\r\n')]))).toBe('crlf');
});
