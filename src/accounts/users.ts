/**
 * Users of an account. Every function but {@link authenticateUser} and {@link countAllUsers}
 * takes the caller's `accountId` and touches only that account's rows.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { hashPassword, verifyNothing, verifyPassword } from '../secrets/passwords.js';
import { passwordProblem } from './password-policy.js';
import { fromFlag, toFlag, toIso } from '../storage/columns.js';
import { isUniqueViolation } from '../storage/errors.js';
import { newId } from '../storage/ids.js';
import type { Database, UsersTable } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { EmailInUseError, LastAdminError, WeakPasswordError } from './errors.js';
import { deleteSessionsOfUser } from './sessions.js';
import type { Role, User } from './types.js';

/** What a new user needs. */
export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
}

/** Changes to a user; absent fields stay as they are. */
export interface UserChanges {
  readonly email?: string;
  readonly displayName?: string;
  readonly role?: Role;
  readonly disabled?: boolean;
  /** A new password; signs the user out everywhere. */
  readonly password?: string;
}

/** Emails compare without case or surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a user in `accountId`.
 *
 * @throws {WeakPasswordError} when the password breaks the policy.
 * @throws {EmailInUseError} when any user of the install has this email.
 */
export async function createUser(
  db: Kysely<Database>,
  accountId: string,
  input: NewUser,
  now: Date = new Date(),
): Promise<User> {
  const problem = passwordProblem(input.password);
  if (problem) throw new WeakPasswordError(problem);

  const row = {
    id: newId('usr'),
    account_id: accountId,
    email: normalizeEmail(input.email),
    display_name: input.displayName.trim(),
    role: input.role,
    password_hash: await hashPassword(input.password),
    disabled: toFlag(false),
    created_at: toIso(now),
    updated_at: toIso(now),
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailInUseError(row.email, { cause: err });
    throw err;
  }
  return toUser(row);
}

/** The user `id` of `accountId`, or `undefined` (also for another account's user). */
export async function getUser(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toUser(row);
}

/** Every user of `accountId`, by email. */
export async function listUsers(db: Kysely<Database>, accountId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('email')
    .execute();
  return rows.map(toUser);
}

/**
 * Applies `changes` to user `id` of `accountId`. Disabling a user or changing their password
 * ends their sessions.
 *
 * @returns the updated user, or `undefined` when the account has no such user.
 * @throws {LastAdminError} when the change would leave the account without an enabled admin.
 * @throws {WeakPasswordError} / {EmailInUseError} as for {@link createUser}.
 */
export async function updateUser(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  changes: UserChanges,
  now: Date = new Date(),
): Promise<User | undefined> {
  if (changes.password !== undefined) {
    const problem = passwordProblem(changes.password);
    if (problem) throw new WeakPasswordError(problem);
  }
  const passwordHash =
    changes.password === undefined ? undefined : await hashPassword(changes.password);

  return inTransaction(db, async (trx) => {
    const current = await getUser(trx, accountId, id);
    if (!current) return undefined;

    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
    if (losesAdmin) await assertAnotherAdmin(trx, accountId, id);

    const set: Updateable<UsersTable> = { updated_at: toIso(now) };
    if (changes.email !== undefined) set.email = normalizeEmail(changes.email);
    if (changes.displayName !== undefined) set.display_name = changes.displayName.trim();
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.disabled !== undefined) set.disabled = toFlag(changes.disabled);
    if (passwordHash !== undefined) set.password_hash = passwordHash;
    try {
      await trx
        .updateTable('users')
        .set(set)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new EmailInUseError(set.email ?? '', { cause: err });
      throw err;
    }

    if (changes.disabled === true || passwordHash !== undefined) {
      await deleteSessionsOfUser(trx, accountId, id);
    }
    return getUser(trx, accountId, id);
  });
}

/**
 * Deletes user `id` of `accountId` with their sessions. API tokens they created stay valid.
 *
 * @returns whether a user was deleted.
 * @throws {LastAdminError} when they are the account's last enabled admin.
 */
export async function deleteUser(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const current = await getUser(trx, accountId, id);
    if (!current) return false;
    if (current.role === 'admin' && !current.disabled) await assertAnotherAdmin(trx, accountId, id);
    await trx
      .deleteFrom('users')
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
    return true;
  });
}

/**
 * The enabled user with this email and password, or `undefined`. An unknown email, a wrong
 * password and a disabled user all look the same to the caller and take about the same time,
 * so a login form cannot be used to discover who has an account.
 */
export async function authenticateUser(
  db: Kysely<Database>,
  email: string,
  password: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  if (!row) return verifyNothing(password).then(() => undefined);
  const matches = await verifyPassword(row.password_hash, password);
  return matches && !fromFlag(row.disabled) ? toUser(row) : undefined;
}

/** How many users the whole install has; zero means the first admin still has to be created. */
export async function countAllUsers(db: Kysely<Database>): Promise<number> {
  const { n } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function assertAnotherAdmin(
  db: Kysely<Database>,
  accountId: string,
  exceptUserId: string,
): Promise<void> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '!=', exceptUserId)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw new LastAdminError();
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    disabled: fromFlag(row.disabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
