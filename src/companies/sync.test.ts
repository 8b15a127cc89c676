import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../accounts/accounts.js';
import { startSandbox, generateLargeFixture, type RunningSandbox } from '../sandbox/index.js';
import { describeEachDialect } from '../storage/testing.js';
import { getCompanySyncState, listSyncedCompanies } from './cw-companies.js';
import { CompanySyncError } from './errors.js';
import { getConsoleCompanyByName, registerCompanies } from './registry.js';
import { syncCompanies } from './sync.js';
import { sandboxClient } from './testing.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describeEachDialect('company sync', (ctx) => {
  it('copies companies with status, deleted flag, contact and contact count', async () => {
    const account = await createAccount(ctx.db, { name: 'Sync MSP' });
    const result = await syncCompanies({ db: ctx.db, client: sandboxClient(sandbox) }, account.id);

    const synced = await listSyncedCompanies(ctx.db, account.id);
    expect(result.companies).toBe(synced.length);
    expect(synced.length).toBe(sandbox.state.companies.size);
    const byId = new Map(synced.map((c) => [c.id, c]));

    expect(byId.get(250)).toMatchObject({
      identifier: 'ACME',
      deletedFlag: false,
      inactive: false,
      statusName: 'Active',
      contact: { id: 1001, name: 'Wile Coyote' },
      contactCount: 2,
    });
    expect(byId.get(252)).toMatchObject({ identifier: 'Initech', inactive: true });
    expect(byId.get(253)).toMatchObject({ identifier: 'Umbrella', contactCount: 0, contact: null });
    expect(byId.get(249)).toMatchObject({ identifier: 'Globex', deletedFlag: true });
    expect(byId.get(257)).toMatchObject({ identifier: 'Cyberdyne', savingDisallowed: true });
    expect(await getCompanySyncState(ctx.db, account.id)).toMatchObject({
      state: 'ok',
      lastOkAt: result.startedAt,
      companies: synced.length,
    });
  });

  it('sets the exact mapping of registered companies and keeps the rows of a second sync equal', async () => {
    const account = await createAccount(ctx.db, { name: 'Twice MSP' });
    await registerCompanies(ctx.db, account.id, ['ACME', 'Nobody'], 'api');
    const client = sandboxClient(sandbox);
    await syncCompanies({ db: ctx.db, client }, account.id);
    const first = (await listSyncedCompanies(ctx.db, account.id)).map(
      ({ syncedAt: _, ...rest }) => rest,
    );
    expect((await getConsoleCompanyByName(ctx.db, account.id, 'ACME'))?.cwCompanyId).toBe(250);
    expect((await getConsoleCompanyByName(ctx.db, account.id, 'Nobody'))?.cwCompanyId).toBeNull();

    const again = await syncCompanies({ db: ctx.db, client }, account.id);
    const second = (await listSyncedCompanies(ctx.db, account.id)).map(
      ({ syncedAt: _, ...rest }) => rest,
    );
    expect(second).toEqual(first);
    expect(again.removed).toBe(0);
    expect(again.mappingsChanged).toBe(0);
  });

  it('removes companies ConnectWise no longer lists, and only of this account', async () => {
    const small = await startSandbox({
      fixture: generateLargeFixture({ companies: 5, tickets: 0 }),
    });
    try {
      const mine = await createAccount(ctx.db, { name: 'Shrinking MSP' });
      const other = await createAccount(ctx.db, { name: 'Other MSP' });
      await syncCompanies({ db: ctx.db, client: sandboxClient(sandbox) }, mine.id);
      await syncCompanies({ db: ctx.db, client: sandboxClient(sandbox) }, other.id);

      const result = await syncCompanies({ db: ctx.db, client: sandboxClient(small) }, mine.id);
      const gone = [...sandbox.state.companies.values()].filter(
        (c) => !small.state.companies.get(c.id),
      );
      expect(result.removed).toBe(gone.length);
      expect((await listSyncedCompanies(ctx.db, mine.id)).map((c) => c.identifier)).toEqual([
        'C00001',
        'C00002',
        'C00003',
        'C00004',
        'C00005',
      ]);
      expect(await listSyncedCompanies(ctx.db, other.id)).toHaveLength(
        sandbox.state.companies.size,
      );
    } finally {
      await small.close();
    }
  });

  it('records a failure with its reason and keeps the companies of the last good sync', async () => {
    const account = await createAccount(ctx.db, { name: 'Failing MSP' });
    await syncCompanies({ db: ctx.db, client: sandboxClient(sandbox) }, account.id);
    const before = await listSyncedCompanies(ctx.db, account.id);

    sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'listCompanies', times: 1 });
    const failed = syncCompanies({ db: ctx.db, client: sandboxClient(sandbox) }, account.id);
    await expect(failed).rejects.toBeInstanceOf(CompanySyncError);

    const state = await getCompanySyncState(ctx.db, account.id);
    expect(state?.state).toBe('failed');
    expect(state?.lastError).toMatch(/503|unavailable/i);
    expect(state?.lastOkAt).not.toBeNull();
    expect(await listSyncedCompanies(ctx.db, account.id)).toHaveLength(before.length);
  });

  it('syncs 20,000 companies with their contacts', async () => {
    const fixture = generateLargeFixture({ companies: 20_000, tickets: 0, seed: 3 });
    const large = await startSandbox({ fixture });
    try {
      const account = await createAccount(ctx.db, { name: 'Large MSP' });
      const result = await syncCompanies({ db: ctx.db, client: sandboxClient(large) }, account.id);
      expect(result.companies).toBe(20_000);
      expect(result.contacts).toBe(fixture.contacts?.length);

      const synced = await listSyncedCompanies(ctx.db, account.id);
      expect(synced).toHaveLength(20_000);
      const withContacts = new Set(fixture.contacts?.map((c) => c.company));
      const sample = synced.filter((_, i) => i % 997 === 0);
      for (const company of sample) {
        expect(company.contactCount > 0).toBe(withContacts.has(company.identifier));
      }
      const inactive = fixture.companies?.filter((c) => c.status === 'Inactive').length ?? 0;
      expect(synced.filter((c) => c.inactive)).toHaveLength(inactive);
    } finally {
      await large.close();
    }
  }, 120_000);
});
