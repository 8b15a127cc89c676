import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { createAccount } from '../accounts/accounts.js';
import type { Database } from '../storage/schema.js';
import { describeEachDialect, type DialectTestContext } from '../storage/testing.js';
import type { BackupEvent } from './event-schema.js';
import { DEVICE_SEEN_RESOLUTION_MS } from './devices.js';
import { ingestEvents } from './ingest-events.js';

function event(overrides: Partial<BackupEvent> = {}): BackupEvent {
  return {
    type: 'backup.failed',
    occurredAt: '2026-12-03T10:00:00.000Z',
    company: 'ACME',
    device: { id: 'dev-1', name: 'ACME-FS01' },
    ...overrides,
  };
}

/**
 * Makes the database refuse inserts into `table` for `accountId`, as a full disk or a broken
 * constraint would, until the returned function is called.
 */
async function failInsertsInto(
  ctx: DialectTestContext,
  table: 'events' | 'jobs' | 'devices',
  accountId: string,
): Promise<() => Promise<void>> {
  const trigger = `fail_${table}_${accountId.slice(-8).toLowerCase()}`;
  if (ctx.dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger ${trigger} before insert on ${table} when new.account_id = '${accountId}'
         begin select raise(abort, 'injected failure: insert into ${table}'); end`,
      )
      .execute(ctx.db);
  } else {
    await sql
      .raw(
        `create or replace function fail_insert() returns trigger language plpgsql as $$
         begin
           if new.account_id = tg_argv[0] then
             raise exception 'injected failure: insert into %', tg_table_name;
           end if;
           return new;
         end $$`,
      )
      .execute(ctx.db);
    await sql
      .raw(
        `create trigger ${trigger} before insert on ${table}
         for each row execute function fail_insert('${accountId}')`,
      )
      .execute(ctx.db);
  }
  return async () => {
    await sql
      .raw(`drop trigger ${trigger}${ctx.dialect === 'postgres' ? ` on ${table}` : ''}`)
      .execute(ctx.db);
  };
}

async function rowsOf(db: Kysely<Database>, accountId: string) {
  const count = async (table: 'events' | 'jobs' | 'companies' | 'devices') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    events: await count('events'),
    jobs: await count('jobs'),
    companies: await count('companies'),
    devices: await count('devices'),
  };
}

describeEachDialect('ingestEvents', (ctx) => {
  it('stores events, their companies and devices, and one job each', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const result = await ingestEvents({ db: ctx.db }, account.id, [
      event({ id: 'e1' }),
      event({ id: 'e2', company: 'Globex', device: { id: 'gx' } }),
      event(),
    ]);
    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(0);
    expect(result.eventIds).toHaveLength(3);
    expect(await rowsOf(ctx.db, account.id)).toEqual({
      events: 3,
      jobs: 3,
      companies: 2,
      devices: 2,
    });
  });

  it('counts repeated and already stored ids as duplicates', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    await ingestEvents({ db: ctx.db }, account.id, [event({ id: 'x' })]);
    const result = await ingestEvents({ db: ctx.db }, account.id, [
      event({ id: 'x' }),
      event({ id: 'y' }),
      event({ id: 'y' }),
    ]);
    expect(result).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await rowsOf(ctx.db, account.id)).toMatchObject({ events: 2, jobs: 2 });
  });

  it('accepts nothing and writes nothing for an empty list', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    expect(await ingestEvents({ db: ctx.db }, account.id, [])).toEqual({
      accepted: 0,
      duplicates: 0,
      eventIds: [],
    });
    expect(await rowsOf(ctx.db, account.id)).toEqual({
      events: 0,
      jobs: 0,
      companies: 0,
      devices: 0,
    });
  });

  for (const table of ['jobs', 'events', 'devices'] as const) {
    it(`leaves nothing behind when the insert into ${table} fails`, async () => {
      const account = await createAccount(ctx.db, { name: 'MSP' });
      const restore = await failInsertsInto(ctx, table, account.id);
      await expect(
        ingestEvents({ db: ctx.db }, account.id, [event({ id: 'lost' }), event()]),
      ).rejects.toThrow(/injected failure/);
      expect(await rowsOf(ctx.db, account.id)).toEqual({
        events: 0,
        jobs: 0,
        companies: 0,
        devices: 0,
      });
      // The same events are accepted once the failure is gone.
      await restore();
      expect(
        (await ingestEvents({ db: ctx.db }, account.id, [event({ id: 'lost' })])).accepted,
      ).toBe(1);
    });
  }

  it('keeps device details current, writing last_seen_at at most once per resolution', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const device = async () =>
      ctx.db
        .selectFrom('devices')
        .select(['name', 'os', 'first_seen_at', 'last_seen_at'])
        .where('account_id', '=', account.id)
        .executeTakeFirstOrThrow();
    const t0 = new Date('2026-12-03T10:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    await ingestEvents({ db: ctx.db }, account.id, [event()], t0);
    expect(await device()).toEqual({
      name: 'ACME-FS01',
      os: null,
      first_seen_at: t0.toISOString(),
      last_seen_at: t0.toISOString(),
    });

    await ingestEvents({ db: ctx.db }, account.id, [event()], at(1000));
    expect((await device()).last_seen_at).toBe(t0.toISOString());

    // A new OS is written at once; an event without a name keeps the stored one.
    await ingestEvents(
      { db: ctx.db },
      account.id,
      [event({ device: { id: 'dev-1', os: 'Windows 11' } })],
      at(2000),
    );
    expect(await device()).toMatchObject({ name: 'ACME-FS01', os: 'Windows 11' });

    const later = at(DEVICE_SEEN_RESOLUTION_MS + 2001);
    await ingestEvents({ db: ctx.db }, account.id, [event()], later);
    expect(await device()).toMatchObject({
      first_seen_at: t0.toISOString(),
      last_seen_at: later.toISOString(),
    });
    // A request received earlier than the stored time never moves it back.
    await ingestEvents(
      { db: ctx.db },
      account.id,
      [event({ device: { id: 'dev-1', name: 'FS1' } })],
      t0,
    );
    expect(await device()).toMatchObject({ name: 'FS1', last_seen_at: later.toISOString() });
  });

  it('splits requests beyond the parameter limits into several statements', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    const events = Array.from({ length: 5000 }, (_, i) =>
      event({ id: `big-${i}`, company: `C${i % 50}`, device: { id: `d${i}`, os: 'Linux' } }),
    );
    const result = await ingestEvents({ db: ctx.db }, account.id, events);
    expect(result.accepted).toBe(5000);
    expect(await rowsOf(ctx.db, account.id)).toEqual({
      events: 5000,
      jobs: 5000,
      companies: 50,
      devices: 5000,
    });
  });

  it('joins a transaction the caller has open', async () => {
    const account = await createAccount(ctx.db, { name: 'MSP' });
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await ingestEvents({ db: trx }, account.id, [event()]);
        throw new Error('caller rolls back');
      }),
    ).rejects.toThrow('caller rolls back');
    expect(await rowsOf(ctx.db, account.id)).toMatchObject({ events: 0, jobs: 0 });
  });
});
