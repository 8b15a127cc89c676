import { expect, it } from 'vitest';
import { createAccount } from '../accounts/accounts.js';
import { describeEachDialect } from '../storage/testing.js';
import { inTransaction } from '../storage/transaction.js';
import { markSyncFinished, markSyncStarted, upsertSyncedCompanies } from './cw-companies.js';
import { CompanyNameError } from './errors.js';
import { isCompanySyncDue } from './sync-account.js';
import { listConsoleCompanies, registerCompanies, updateConsoleCompany } from './registry.js';
import { resolveTicketTarget } from './ticket-target.js';

const row = (id: number, identifier: string, extra: object = {}) => ({
  id,
  identifier,
  name: identifier,
  deletedFlag: false,
  statusId: 1,
  statusName: 'Active',
  inactive: false,
  savingDisallowed: false,
  contact: { id: id * 10, name: `Contact ${id}` },
  contactCount: 1,
  ...extra,
});

describeEachDialect('company registry', (ctx) => {
  /** An account whose last sync saw `rows`. */
  async function syncedAccount(rows: ReturnType<typeof row>[]): Promise<string> {
    const account = await createAccount(ctx.db, { name: 'Registry MSP' });
    const at = '2026-12-03T10:00:00.000Z';
    await markSyncStarted(ctx.db, account.id, at);
    await upsertSyncedCompanies(ctx.db, account.id, rows, at);
    await markSyncFinished(
      ctx.db,
      account.id,
      { ok: true, companies: rows.length, contacts: 0 },
      at,
      at,
    );
    return account.id;
  }

  it('registers concurrent duplicates once and gives every caller the same ids', async () => {
    const account = await createAccount(ctx.db, { name: 'Race MSP' });
    const names = Array.from({ length: 50 }, (_, i) => `Company ${i}`);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, caller) =>
        inTransaction(ctx.db, (trx) =>
          registerCompanies(trx, account.id, caller % 2 ? names : [...names].reverse(), 'event'),
        ),
      ),
    );
    expect(await listConsoleCompanies(ctx.db, account.id)).toHaveLength(50);
    for (const ids of results) expect(ids).toEqual(results[0]);
    expect(new Set(results[0]?.values()).size).toBe(50);
  });

  it('trims names, keeps their case, and refuses empty or overlong ones without writing', async () => {
    const account = await createAccount(ctx.db, { name: 'Names MSP' });
    const ids = await registerCompanies(ctx.db, account.id, ['  ACME ', 'acme'], 'api');
    expect([...ids.keys()].sort()).toEqual(['ACME', 'acme']);
    await expect(registerCompanies(ctx.db, account.id, ['Ok', ' '], 'api')).rejects.toBeInstanceOf(
      CompanyNameError,
    );
    await expect(
      registerCompanies(ctx.db, account.id, ['x'.repeat(101)], 'api'),
    ).rejects.toBeInstanceOf(CompanyNameError);
    expect((await listConsoleCompanies(ctx.db, account.id)).map((c) => c.name)).toEqual([
      'ACME',
      'acme',
    ]);
  });

  it('maps a new company by the exact Company ID of the last sync, and one of another account never', async () => {
    const accountId = await syncedAccount([row(250, 'ACME'), row(251, 'Twin'), row(252, 'Twin')]);
    const other = await createAccount(ctx.db, { name: 'Other MSP' });
    await registerCompanies(ctx.db, accountId, ['ACME', 'Twin'], 'event');
    await registerCompanies(ctx.db, other.id, ['ACME'], 'event');
    const mine = await listConsoleCompanies(ctx.db, accountId);
    expect(mine.map((c) => [c.name, c.cwCompanyId])).toEqual([
      ['ACME', 250],
      ['Twin', null],
    ]);
    expect((await listConsoleCompanies(ctx.db, other.id))[0]?.cwCompanyId).toBeNull();
  });

  it('resolves ticket targets from the synced rows, with the first reason there is none', async () => {
    const accountId = await syncedAccount([
      row(250, 'ACME'),
      row(251, 'Twin'),
      row(252, 'Twin'),
      row(253, 'Gone', { deletedFlag: true }),
      row(254, 'Quiet', { contact: null, contactCount: 0 }),
    ]);
    const ids = await registerCompanies(
      ctx.db,
      accountId,
      ['ACME', 'Twin', 'Gone', 'Quiet', 'Pinned', 'Nobody'],
      'api',
    );
    const target = (name: string, options = {}) =>
      resolveTicketTarget(ctx.db, accountId, ids.get(name) ?? '', options);

    expect(await target('ACME')).toEqual({ ok: true, cwCompanyId: 250, contactId: 2500 });
    expect(await target('Twin')).toMatchObject({ ok: false, problem: { code: 'ambiguous' } });
    expect(await target('Gone')).toMatchObject({ ok: false, problem: { code: 'unmatched' } });
    expect(await target('Quiet')).toMatchObject({ ok: false, problem: { code: 'no_contact' } });
    expect(await target('Quiet', { requireContact: false })).toEqual({
      ok: true,
      cwCompanyId: 254,
      contactId: null,
    });
    expect(await target('Nobody')).toMatchObject({ ok: false, problem: { code: 'unmatched' } });

    await updateConsoleCompany(ctx.db, accountId, ids.get('Pinned') ?? '', {
      mapping: { source: 'manual', cwCompanyId: 999 },
    });
    expect(await target('Pinned')).toMatchObject({
      ok: false,
      problem: { code: 'mapped_company_missing' },
    });
    expect(await resolveTicketTarget(ctx.db, accountId, 'cmp_unknown')).toMatchObject({
      ok: false,
      problem: { code: 'unknown_company' },
    });
  });

  it('says a sync is due when none ran or the last is older than the interval', async () => {
    const account = await createAccount(ctx.db, { name: 'Due MSP' });
    expect(await isCompanySyncDue(ctx.db, account.id)).toBe(true);
    await markSyncStarted(ctx.db, account.id, '2026-12-03T10:00:00.000Z');
    const at = (iso: string) => new Date(iso);
    expect(await isCompanySyncDue(ctx.db, account.id, 60_000, at('2026-12-03T10:00:30.000Z'))).toBe(
      false,
    );
    expect(await isCompanySyncDue(ctx.db, account.id, 60_000, at('2026-12-03T10:01:00.000Z'))).toBe(
      true,
    );
  });

  it('writes nothing for a change that changes nothing', async () => {
    const account = await createAccount(ctx.db, { name: 'Same MSP' });
    const ids = await registerCompanies(
      ctx.db,
      account.id,
      ['ACME'],
      'api',
      new Date('2026-01-01'),
    );
    const id = ids.get('ACME') ?? '';
    const same = await updateConsoleCompany(
      ctx.db,
      account.id,
      id,
      { ticketingEnabled: true, mapping: { source: 'auto' } },
      new Date('2026-06-01'),
    );
    expect(same?.updatedAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
