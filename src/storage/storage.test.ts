import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fromFlag, toFlag, toIso } from './columns.js';
import { isForeignKeyViolation, isUniqueViolation } from './errors.js';
import { newId } from './ids.js';
import { migrateToLatest, migrationsFor } from './migrate.js';
import { describeEachDialect } from './testing.js';
import { inTransaction } from './transaction.js';

async function insertAccount(
  db: Parameters<typeof inTransaction>[0],
  name = 'MSP',
): Promise<string> {
  const id = newId('acc');
  await db.insertInto('accounts').values({ id, name, created_at: toIso() }).execute();
  return id;
}

describe('newId', () => {
  it('is the prefix and 26 Crockford base32 characters, ordered by time', () => {
    const early = newId('usr', Date.UTC(2026, 0, 1));
    const late = newId('usr', Date.UTC(2026, 0, 2));
    expect(early).toMatch(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
    expect(newId('usr')).not.toBe(newId('usr'));
    expect(() => newId('User')).toThrow(/2 to 8 lowercase letters/);
  });
});

describe('migration sets', () => {
  it('have the same names on both dialects', () => {
    expect(Object.keys(migrationsFor('postgres'))).toEqual(Object.keys(migrationsFor('sqlite')));
  });
});

describeEachDialect('storage', (ctx) => {
  it('applies every migration on open and none on a second run', async () => {
    const tables = await ctx.db.introspection.getTables();
    const names = tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['accounts', 'users', 'sessions', 'api_tokens']));
    expect(await migrateToLatest(ctx.db, ctx.dialect)).toEqual([]);
  });

  it('answers a ping', async () => {
    await expect(ctx.storage.ping()).resolves.toBeUndefined();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const kept = newId('acc');
    const dropped = newId('acc');
    await inTransaction(ctx.db, async (trx) => {
      await trx
        .insertInto('accounts')
        .values({ id: kept, name: 'kept', created_at: toIso() })
        .execute();
    });
    await expect(
      inTransaction(ctx.db, async (trx) => {
        await trx
          .insertInto('accounts')
          .values({ id: dropped, name: 'dropped', created_at: toIso() })
          .execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const ids = await ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('id', 'in', [kept, dropped])
      .execute();
    expect(ids.map((r) => r.id)).toEqual([kept]);
  });

  it('joins an open transaction instead of nesting one', async () => {
    const id = newId('acc');
    await expect(
      inTransaction(ctx.db, async (outer) => {
        await inTransaction(outer, async (inner) => {
          await inner
            .insertInto('accounts')
            .values({ id, name: 'inner', created_at: toIso() })
            .execute();
        });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const row = await ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('recognises unique and foreign-key violations', async () => {
    const accountId = await insertAccount(ctx.db);
    const user = {
      account_id: accountId,
      email: `${newId('usr').toLowerCase()}@example.com`,
      display_name: 'A',
      role: 'admin' as const,
      password_hash: 'x',
      disabled: toFlag(false),
      created_at: toIso(),
      updated_at: toIso(),
    };
    await ctx.db
      .insertInto('users')
      .values({ ...user, id: newId('usr') })
      .execute();
    const duplicate = await ctx.db
      .insertInto('users')
      .values({ ...user, id: newId('usr') })
      .execute()
      .catch((err: unknown) => err);
    expect(isUniqueViolation(duplicate)).toBe(true);

    const orphan = await ctx.db
      .insertInto('users')
      .values({ ...user, id: newId('usr'), email: 'orphan@example.com', account_id: 'acc_missing' })
      .execute()
      .catch((err: unknown) => err);
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
  });

  it('refuses values outside a column check', async () => {
    const accountId = await insertAccount(ctx.db);
    await expect(
      ctx.db
        .insertInto('users')
        .values({
          id: newId('usr'),
          account_id: accountId,
          email: 'check@example.com',
          display_name: 'A',
          role: 'owner' as 'admin',
          password_hash: 'x',
          disabled: 0,
          created_at: toIso(),
          updated_at: toIso(),
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('returns counts as numbers and flags that read back as booleans', async () => {
    const accountId = await insertAccount(ctx.db);
    const { n } = await ctx.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(n).toBe(1);
    const { one } = await sql<{ one: number }>`select 1 as one`
      .execute(ctx.db)
      .then((r) => r.rows[0] ?? { one: 0 });
    expect(fromFlag(one)).toBe(true);
    expect(fromFlag(0)).toBe(false);
  });
});
