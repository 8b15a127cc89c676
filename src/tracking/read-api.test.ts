/**
 * The read API (tickets, incidents, activity, health) over HTTP, with two accounts on one
 * sandbox: filters and paging work, and a caller never sees another account's data.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeAppEachDialect } from '../api/testing.js';
import { incidentKeyOf } from '../domain/index.js';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { backupEvent, waitFor } from '../worker/test-support.js';
import type { IntegrationHealth } from './health-view.js';
import type { IncidentDetailView, IncidentView } from './incident-views.js';
import type { ActivityView } from './activity-views.js';
import {
  incidentRow,
  postEvents,
  read,
  removeAccount,
  setUpAccount,
  startTrackedWorker,
  type TestAccount,
} from './test-support.js';
import type { TicketView } from './ticket-views.js';

type Tickets = { tickets: TicketView[]; nextCursor: string | null };
type Incidents = { incidents: IncidentView[]; nextCursor: string | null };
type Activity = { activity: ActivityView[]; nextCursor: string | null };

describeAppEachDialect('read API', (ctx) => {
  let sandbox: RunningSandbox;
  let a: TestAccount;
  let b: TestAccount;
  let aAcme: number;
  let aGlobex: number;
  let bAcme: number;
  let startedAt: string;

  // One scene for every test: account A has an ACME backup failure (open ticket) and a Globex
  // device offline whose ticket a technician closed; account B has its own ACME failure.
  beforeAll(async () => {
    sandbox = await startSandbox();
    startedAt = new Date().toISOString();
    const rules = { storm: { holdMinutes: 0 } };
    a = await setUpAccount(ctx, sandbox, rules);
    b = await setUpAccount(ctx, sandbox, rules);
    const worker = startTrackedWorker(ctx);
    try {
      await postEvents(ctx, a, [
        backupEvent('backup.failed', { device: 'dev-1' }),
        backupEvent('device.offline', { device: 'glx-7', company: 'Globex' }),
      ]);
      await postEvents(ctx, b, [backupEvent('backup.failed', { device: 'dev-1' })]);
      const ticketOf = async (account: TestAccount, key: string): Promise<number> => {
        let id: number | null = null;
        await waitFor(`ticket of ${key}`, async () => {
          id = (await incidentRow(ctx.storage.db, account.accountId, key))?.ticket_id ?? null;
          return id !== null;
        });
        return id as unknown as number;
      };
      aAcme = await ticketOf(a, key(a, 'ACME', 'backup', 'dev-1'));
      aGlobex = await ticketOf(a, key(a, 'Globex', 'device', 'glx-7'));
      bAcme = await ticketOf(b, key(b, 'ACME', 'backup', 'dev-1'));
      sandbox.state.setTicketStatus(aGlobex, 'Closed');
      await waitFor('tracking to see the close', async () => {
        const row = await incidentRow(
          ctx.storage.db,
          a.accountId,
          key(a, 'Globex', 'device', 'glx-7'),
        );
        return row?.state === 'closedExternally';
      });
    } finally {
      await worker.stop();
    }
  });
  afterAll(async () => {
    await removeAccount(ctx.storage.db, a.accountId);
    await removeAccount(ctx.storage.db, b.accountId);
    await sandbox.close();
  });

  function key(
    account: TestAccount,
    company: string,
    condition: 'backup' | 'device',
    deviceId: string,
  ): string {
    return incidentKeyOf({ accountId: account.accountId, company, condition, deviceId });
  }

  it('lists only the caller’s tickets, with live status and a link into ConnectWise', async () => {
    const { status, body } = await read<Tickets>(ctx, a, '/api/v1/tickets');
    expect(status).toBe(200);
    expect(body.tickets.map((t) => t.ticketId).sort()).toEqual([aAcme, aGlobex].sort());
    const globex = body.tickets.find((t) => t.ticketId === aGlobex)!;
    expect(globex).toMatchObject({
      company: { name: 'Globex' },
      status: 'Closed',
      closed: true,
      board: 'Backup Alerts',
      incidentKey: key(a, 'Globex', 'device', 'glx-7'),
      mergedIntoTicketId: null,
    });
    expect(globex.url).toBe(
      `${sandbox.url}/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${aGlobex}&companyName=psademo`,
    );
    expect(globex.lastCheckedAt).not.toBeNull();

    const other = await read<Tickets>(ctx, b, '/api/v1/tickets');
    expect(other.body.tickets.map((t) => t.ticketId)).toEqual([bAcme]);
  });

  it('filters tickets by company, status and state, and pages them', async () => {
    const ids = async (query: string): Promise<number[]> =>
      (await read<Tickets>(ctx, a, `/api/v1/tickets?${query}`)).body.tickets.map((t) => t.ticketId);
    expect(await ids('company=acme')).toEqual([aAcme]);
    expect(await ids('status=closed')).toEqual([aGlobex]);
    expect(await ids('state=closed')).toEqual([aGlobex]);
    expect(await ids('state=open')).toEqual([aAcme]);
    expect(await ids('company=Initech')).toEqual([]);

    const first = await read<Tickets>(ctx, a, '/api/v1/tickets?limit=1');
    expect(first.body.tickets).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await read<Tickets>(
      ctx,
      a,
      `/api/v1/tickets?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.tickets).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect([first.body.tickets[0]!.ticketId, second.body.tickets[0]!.ticketId].sort()).toEqual(
      [aAcme, aGlobex].sort(),
    );
    expect(await ids('limit=1&offset=1')).toEqual([second.body.tickets[0]!.ticketId]);

    const bad = await read<{ error: { code: string } }>(ctx, a, '/api/v1/tickets?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });

  it('answers 404 for another account’s ticket or incident', async () => {
    expect((await read(ctx, a, `/api/v1/tickets/${bAcme}`)).status).toBe(404);
    expect((await read(ctx, a, `/api/v1/tickets/${aAcme}`)).status).toBe(200);
    const bKey = encodeURIComponent(key(b, 'ACME', 'backup', 'dev-1'));
    expect((await read(ctx, a, `/api/v1/incidents/${bKey}`)).status).toBe(404);
    expect((await read(ctx, b, `/api/v1/incidents/${bKey}`)).status).toBe(200);
  });

  it('lists incidents with filters, and one incident with its tickets and counts', async () => {
    const keys = async (query: string): Promise<string[]> =>
      (await read<Incidents>(ctx, a, `/api/v1/incidents?${query}`)).body.incidents.map(
        (i) => i.incidentKey,
      );
    const acmeKey = key(a, 'ACME', 'backup', 'dev-1');
    const globexKey = key(a, 'Globex', 'device', 'glx-7');
    expect((await keys('')).sort()).toEqual([acmeKey, globexKey].sort());
    expect(await keys('company=GLOBEX')).toEqual([globexKey]);
    expect(await keys('state=closedExternally')).toEqual([globexKey]);
    expect(await keys('condition=backup')).toEqual([acmeKey]);
    expect(await keys('blocked=true')).toEqual([]);
    expect((await keys('blocked=false')).sort()).toEqual([acmeKey, globexKey].sort());

    const detail = await read<IncidentDetailView>(
      ctx,
      a,
      `/api/v1/incidents/${encodeURIComponent(acmeKey)}`,
    );
    expect(detail.body).toMatchObject({
      incidentKey: acmeKey,
      kind: 'device',
      company: { name: 'ACME' },
      condition: 'backup',
      state: 'open',
      counts: { problems: 1, recoveries: 0 },
      ticket: { ticketId: aAcme, status: 'New', closed: false },
      blocked: null,
      lastProblem: { type: 'backup.failed' },
    });
    expect(detail.body.firstSeenAt).not.toBeNull();
    expect(detail.body.tickets.map((t) => t.ticketId)).toEqual([aAcme]);
  });

  it('lists activity newest first with filters, only the caller’s', async () => {
    const all = await read<Activity>(ctx, a, '/api/v1/activity');
    const times = all.body.activity.map((line) => line.at);
    expect([...times].sort().reverse()).toEqual(times);
    const kinds = new Set(all.body.activity.map((line) => line.kind));
    expect(kinds).toEqual(new Set(['event', 'ticket.created', 'tracking.closed']));

    const tracking = await read<Activity>(ctx, a, '/api/v1/activity?kind=tracking.*');
    expect(tracking.body.activity).toHaveLength(1);
    expect(tracking.body.activity[0]).toMatchObject({
      level: 'warn',
      ticketId: aGlobex,
      company: { name: 'Globex' },
    });
    const warnings = await read<Activity>(ctx, a, '/api/v1/activity?level=warn');
    expect(warnings.body.activity.map((line) => line.kind)).toEqual(['tracking.closed']);
    const acme = await read<Activity>(ctx, a, '/api/v1/activity?company=ACME');
    expect(acme.body.activity.every((line) => line.company?.name === 'ACME')).toBe(true);
    expect(acme.body.activity.length).toBeGreaterThan(0);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await read<Activity>(ctx, a, `/api/v1/activity?since=${later}`)).body.activity).toEqual(
      [],
    );
    expect(
      (await read<Activity>(ctx, a, `/api/v1/activity?since=${startedAt}`)).body.activity,
    ).toHaveLength(all.body.activity.length);

    // B's log has its own lines only.
    const theirs = await read<Activity>(ctx, b, '/api/v1/activity');
    const ours = new Set(all.body.activity.map((line) => line.id));
    expect(theirs.body.activity.some((line) => ours.has(line.id))).toBe(false);
    expect(theirs.body.activity.map((line) => line.ticketId)).not.toContain(aAcme);
  });

  it('shows each account its own health', async () => {
    const view = (await read<IntegrationHealth>(ctx, a, '/api/v1/health')).body;
    // Not checked since the connection and board were saved (and checked) a moment ago.
    expect(view).toMatchObject({
      ok: true,
      connection: { status: 'ok', problems: [] },
      board: { status: 'unknown', name: 'Backup Alerts' },
      delivery: { blocked: 0 },
      tracking: { openTickets: 1, lastError: null },
    });
    expect(view.tracking.lastPolledAt).not.toBeNull();
    expect(view.companySync).toMatchObject({ state: 'ok' });
    const theirs = (await read<IntegrationHealth>(ctx, b, '/api/v1/health')).body;
    expect(theirs.tracking.openTickets).toBe(1);
  });

  it('refuses callers without a token', async () => {
    for (const url of [
      '/api/v1/tickets',
      '/api/v1/incidents',
      '/api/v1/activity',
      '/api/v1/health',
    ]) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
    }
  });
});
