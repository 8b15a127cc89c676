import { expect, it } from 'vitest';

import { createAccount } from '../accounts/accounts.js';
import { applyEvent, type Incident } from '../domain/index.js';
import { minutesAfterStart, testEvent, testRules } from '../domain/testing.js';
import { newId } from '../storage/ids.js';
import { describeEachDialect } from '../storage/testing.js';
import { StoredIncidentError } from './errors.js';
import {
  listIncidents,
  loadCompanyIncidents,
  loadIncident,
  saveIncident,
  setIncidentBlocked,
} from './incidents-store.js';

const NOW = new Date(minutesAfterStart(0));

describeEachDialect('incident storage', (ctx) => {
  /** An account with one company and one device row. */
  async function seed(): Promise<{ accountId: string; companyId: string; deviceId: string }> {
    const accountId = (await createAccount(ctx.db, { name: 'Incident MSP' })).id;
    const companyId = newId('cmp');
    const deviceId = newId('dev');
    const at = NOW.toISOString();
    await ctx.db
      .insertInto('companies')
      .values({
        id: companyId,
        account_id: accountId,
        name: 'ACME',
        ticketing_enabled: 1,
        cw_company_id: null,
        mapping_source: 'auto',
        registered_by: 'event',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await ctx.db
      .insertInto('devices')
      .values({
        id: deviceId,
        account_id: accountId,
        company_id: companyId,
        device_key: 'dev-42',
        name: 'ACME-FS01',
        os: null,
        first_seen_at: at,
        last_seen_at: at,
      })
      .execute();
    return { accountId, companyId, deviceId };
  }

  /** A device incident made by the domain from one event. */
  function incidentOf(accountId: string, type: 'backup.failed', deviceId = 'dev-42'): Incident {
    const result = applyEvent(
      undefined,
      testEvent(type, { accountId, deviceId }),
      testRules({ storm: { holdMinutes: 0 } }),
      NOW.toISOString(),
    );
    if (result.incident === undefined) throw new Error('expected an incident');
    return result.incident;
  }

  it('stores an incident with its searchable columns and reads it back unchanged', async () => {
    const { accountId, companyId, deviceId } = await seed();
    const incident = incidentOf(accountId, 'backup.failed');
    await saveIncident(ctx.db, accountId, { incident, companyId, deviceId, nextDueAt: null }, NOW);

    const stored = await loadIncident(ctx.db, accountId, incident.incidentKey);
    expect(stored).toMatchObject({ companyId, deviceId, nextDueAt: null, blockedReason: null });
    expect(stored?.incident).toEqual(incident);
    const row = await ctx.db.selectFrom('incidents').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'open',
      condition: 'backup',
      external_xref: incident.ticket?.externalXRef,
      ticket_id: null,
    });
  });

  it('updates in place by key, keeping one row per incident', async () => {
    const { accountId, companyId, deviceId } = await seed();
    const incident = incidentOf(accountId, 'backup.failed');
    await saveIncident(ctx.db, accountId, { incident, companyId, deviceId, nextDueAt: null }, NOW);
    const resolved: Incident = { ...incident, state: 'resolved' };
    await saveIncident(
      ctx.db,
      accountId,
      { incident: resolved, companyId, deviceId, nextDueAt: '2026-12-03T11:00:00.000Z' },
      NOW,
    );
    const rows = await ctx.db
      .selectFrom('incidents')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'resolved', next_due_at: '2026-12-03T11:00:00.000Z' });
  });

  it("loads a company's live incidents of a condition plus the named ones in any state", async () => {
    const { accountId, companyId, deviceId } = await seed();
    const live = incidentOf(accountId, 'backup.failed', 'dev-1');
    const over: Incident = {
      ...incidentOf(accountId, 'backup.failed', 'dev-2'),
      state: 'resolved',
    };
    const named: Incident = {
      ...incidentOf(accountId, 'backup.failed', 'dev-3'),
      state: 'resolved',
    };
    for (const incident of [live, over, named]) {
      await saveIncident(
        ctx.db,
        accountId,
        { incident, companyId, deviceId, nextDueAt: null },
        NOW,
      );
    }
    const loaded = await loadCompanyIncidents(ctx.db, accountId, companyId, 'backup', [
      named.incidentKey,
    ]);
    expect(loaded.map((row) => row.incidentKey).sort()).toEqual(
      [live.incidentKey, named.incidentKey].sort(),
    );
    expect(await loadCompanyIncidents(ctx.db, accountId, companyId, 'device', [])).toEqual([]);
  });

  it('records and clears why delivery is blocked', async () => {
    const { accountId, companyId, deviceId } = await seed();
    const incident = incidentOf(accountId, 'backup.failed');
    await saveIncident(ctx.db, accountId, { incident, companyId, deviceId, nextDueAt: null }, NOW);
    await setIncidentBlocked(ctx.db, accountId, incident.incidentKey, {
      reason: 'No contact.',
      fix: 'Add one.',
    });
    expect(await listIncidents(ctx.db, accountId, { blockedOnly: true })).toMatchObject([
      { incidentKey: incident.incidentKey, blockedReason: 'No contact.', blockedFix: 'Add one.' },
    ]);
    await setIncidentBlocked(ctx.db, accountId, incident.incidentKey, null);
    expect(await listIncidents(ctx.db, accountId, { blockedOnly: true })).toEqual([]);
  });

  it('refuses to read an incident whose data is not a domain incident', async () => {
    const { accountId, companyId, deviceId } = await seed();
    const incident = incidentOf(accountId, 'backup.failed');
    await saveIncident(ctx.db, accountId, { incident, companyId, deviceId, nextDueAt: null }, NOW);
    await ctx.db
      .updateTable('incidents')
      .set({ data: '{"schema":2}' })
      .where('account_id', '=', accountId)
      .execute();
    await expect(loadIncident(ctx.db, accountId, incident.incidentKey)).rejects.toBeInstanceOf(
      StoredIncidentError,
    );
  });
});
