/**
 * The poll against the real sandbox: batching within the URL limit, the bound on work per
 * round, and what it hands to the worker.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeAppEachDialect } from '../api/testing.js';
import { registerCompanies } from '../companies/index.js';
import { openManageClient } from '../connection/index.js';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { newId } from '../storage/ids.js';
import { pollAccountTickets } from './poller.js';
import {
  connectionDeps,
  removeAccount,
  setUpAccount,
  trackingContext,
  type TestAccount,
} from './test-support.js';

describeAppEachDialect('ticket poll', (ctx) => {
  let sandbox: RunningSandbox;
  let account: TestAccount | undefined;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    if (account !== undefined) await removeAccount(ctx.storage.db, account.accountId);
    account = undefined;
    await sandbox.close();
  });

  /** Makes `n` tickets in the sandbox and records them as the bridge's; returns their ids. */
  async function trackTickets(accountId: string, n: number): Promise<number[]> {
    const client = await openManageClient(connectionDeps(ctx), accountId);
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const ticket = await client.tickets.create({
        summary: `Backup failed on ACME-${i}`,
        company: { identifier: 'ACME' },
        board: { name: 'Backup Alerts' },
      });
      ids.push(ticket.id);
    }
    const { db } = ctx.storage;
    const companyId = (await registerCompanies(db, accountId, ['ACME'], 'api')).get('ACME')!;
    const at = new Date().toISOString();
    await db
      .insertInto('tickets')
      .values(
        ids.map((id, i) => ({
          id: newId('tkt'),
          account_id: accountId,
          cw_ticket_id: id,
          incident_key: `${accountId}/acme/backup/dev-${i}`,
          external_xref: `psab1:test:${accountId}:${i}`,
          company_id: companyId,
          summary: `Backup failed on ACME-${i}`,
          cw_status_name: 'New',
          closed: 0,
          merged_into_ticket_id: null,
          record_type: 'service' as const,
          created_at: at,
          last_checked_at: at,
        })),
      )
      .execute();
    return ids;
  }

  /** The bridge's list calls in the sandbox's journal, with the ids each asked for. */
  function listCalls(endpoint: 'listTickets' | 'listProjectTickets') {
    return sandbox.state.journal.entries(endpoint).map((entry) => {
      const url = new URL(entry.url, sandbox.url);
      const ids = (/\(([^)]*)\)/.exec(url.searchParams.get('conditions') ?? '')?.[1] ?? '')
        .split(',')
        .map((id) => Number(id.trim()));
      return { length: url.href.length, ids };
    });
  }

  it('polls 250 tickets in as few list calls as URLs under 2,000 characters allow', async () => {
    account = await setUpAccount(ctx, sandbox);
    const ids = await trackTickets(account.accountId, 250);
    sandbox.state.journal.clear();

    const outcome = await pollAccountTickets(trackingContext(ctx), account.accountId);

    const calls = listCalls('listTickets');
    expect(outcome).toEqual({ tickets: 250, calls: calls.length, changed: 0 });
    for (const call of calls) expect(call.length).toBeLessThan(2_000);
    expect(calls.flatMap((call) => call.ids).sort()).toEqual([...ids].sort());
    const perCall = calls[0]!.ids.length;
    expect(perCall).toBeGreaterThan(100);
    expect(calls).toHaveLength(Math.ceil(250 / perCall));
    // Nothing else was asked of ConnectWise: no call per ticket.
    expect(sandbox.state.journal.entries().length).toBe(calls.length);

    const rows = await ctx.storage.db
      .selectFrom('tickets')
      .select(['board_name', 'check_due_at'])
      .where('account_id', '=', account.accountId)
      .execute();
    expect(rows.every((row) => row.board_name === 'Backup Alerts')).toBe(true);
    expect(rows.every((row) => row.check_due_at !== null)).toBe(true);
    // Nothing changed, so nothing was handed to the worker.
    const jobs = await ctx.storage.db
      .selectFrom('jobs')
      .select('id')
      .where('account_id', '=', account.accountId)
      .execute();
    expect(jobs).toHaveLength(0);
  });

  it('polls at most maxTicketsPerRound tickets a round, and the rest the next round', async () => {
    account = await setUpAccount(ctx, sandbox);
    await trackTickets(account.accountId, 30);
    const tracking = trackingContext(ctx, { maxTicketsPerRound: 20 });

    expect((await pollAccountTickets(tracking, account.accountId)).tickets).toBe(20);
    expect((await pollAccountTickets(tracking, account.accountId)).tickets).toBe(10);
    // Everything was looked at; none is due again before the interval.
    expect((await pollAccountTickets(tracking, account.accountId)).tickets).toBe(0);
  });

  it('hands each changed ticket to the worker once, looking in project tickets for missing ones', async () => {
    account = await setUpAccount(ctx, sandbox);
    const [closedId, deletedId] = await trackTickets(account.accountId, 3);
    sandbox.state.setTicketStatus(closedId!, 'Closed');
    sandbox.state.deleteTicket(deletedId!);
    sandbox.state.journal.clear();
    const tracking = trackingContext(ctx, { intervalMs: 1, closedIntervalMs: 1 });

    const first = await pollAccountTickets(tracking, account.accountId);
    expect(first).toMatchObject({ tickets: 3, changed: 2 });
    // The missing one was looked for among project tickets before being called gone.
    expect(listCalls('listProjectTickets').map((call) => call.ids)).toEqual([[deletedId]]);

    // Polled again before the worker ran: no second job for the same tickets.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await pollAccountTickets(tracking, account.accountId);
    const jobs = await ctx.storage.db
      .selectFrom('jobs')
      .select(['kind', 'ordering_key', 'payload'])
      .where('account_id', '=', account.accountId)
      .execute();
    expect(jobs).toHaveLength(2);
    expect(jobs.every((job) => job.kind === 'observe')).toBe(true);
    expect(jobs.every((job) => job.ordering_key.startsWith('incident:'))).toBe(true);
    const seen = jobs.map((job) => JSON.parse(job.payload) as { observations: { kind: string }[] });
    expect(seen.map((p) => p.observations.map((o) => o.kind).join(',')).sort()).toEqual([
      'deleted',
      'statusChanged,closed',
    ]);
  });

  it('puts the tickets back and records why when ConnectWise refuses the keys', async () => {
    account = await setUpAccount(ctx, sandbox);
    await trackTickets(account.accountId, 2);
    sandbox.state.revokeApiKey('DemoPublicKey001');
    const refused: string[] = [];

    const outcome = await pollAccountTickets(trackingContext(ctx), account.accountId, (id) =>
      refused.push(id),
    );

    expect(outcome).toMatchObject({ tickets: 2, changed: 0 });
    expect(refused).toEqual([account.accountId]);
    const health = await ctx.storage.db
      .selectFrom('integration_health')
      .select('poll_error')
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(health.poll_error).toMatch(/401|key/i);
  });
});
