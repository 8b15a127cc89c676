/**
 * Ticket tracking end to end: events posted to the bridge over its HTTP API, the worker (with
 * tracking beside it) delivering to the real sandbox over HTTP, a technician acting in the
 * sandbox, and what the bridge made of it read back through the API.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeAppEachDialect } from '../api/testing.js';
import { incidentKeyOf } from '../domain/index.js';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { backupEvent, waitFor } from '../worker/test-support.js';
import {
  incidentRow,
  postEvents,
  read,
  removeAccount,
  setUpAccount,
  startTrackedWorker,
  ticketRows,
  type TestAccount,
  type TrackedWorker,
} from './test-support.js';

/** Tickets are made at once (no storm hold). */
const RULES = { storm: { holdMinutes: 0 } };

describeAppEachDialect('ticket tracking', (ctx) => {
  let sandbox: RunningSandbox;
  let account: TestAccount | undefined;
  let worker: TrackedWorker | undefined;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    if (account !== undefined) await removeAccount(ctx.storage.db, account.accountId);
    account = undefined;
    await sandbox.close();
  });

  const keyOf = (accountId: string, deviceId: string, company = 'ACME'): string =>
    incidentKeyOf({ accountId, company, condition: 'backup', deviceId });

  /** Posts a failure and waits for its ticket; returns the ticket's ConnectWise id. */
  async function failAndWaitForTicket(a: TestAccount, deviceId: string): Promise<number> {
    await postEvents(ctx, a, [backupEvent('backup.failed', { device: deviceId })]);
    const key = keyOf(a.accountId, deviceId);
    let ticketId: number | null = null;
    await waitFor(`the ticket of ${deviceId}`, async () => {
      ticketId = (await incidentRow(ctx.storage.db, a.accountId, key))?.ticket_id ?? null;
      return ticketId !== null;
    });
    return ticketId as unknown as number;
  }

  it('sees a technician close a ticket while the backup keeps failing, and reopens it on the next failure', async () => {
    account = await setUpAccount(ctx, sandbox, RULES);
    const { accountId } = account;
    worker = startTrackedWorker(ctx);
    const ticketId = await failAndWaitForTicket(account, 'dev-1');
    const key = keyOf(accountId, 'dev-1');

    // A technician closes it in ConnectWise; the backup is still failing.
    sandbox.state.setTicketStatus(ticketId, 'Closed');
    await waitFor('tracking to see the close', async () => {
      return (await incidentRow(ctx.storage.db, accountId, key))?.state === 'closedExternally';
    });
    const closed = await read<{ status: string; closed: boolean; closedAt: string }>(
      ctx,
      account,
      `/api/v1/tickets/${ticketId}`,
    );
    expect(closed.body).toMatchObject({ status: 'Closed', closed: true });
    const lines = await read<{ activity: { kind: string; level: string; message: string }[] }>(
      ctx,
      account,
      '/api/v1/activity?kind=tracking.closed',
    );
    expect(lines.body.activity).toHaveLength(1);
    expect(lines.body.activity[0]).toMatchObject({ level: 'warn' });
    expect(lines.body.activity[0]!.message).toContain('policy "reopen"');

    // The next failure comes within the reopen window: the same ticket is reopened.
    await postEvents(ctx, account, [backupEvent('backup.failed', { device: 'dev-1' })]);
    await waitFor('the ticket to be reopened in ConnectWise', () => {
      return sandbox.state.getTicket(ticketId)?.closedFlag === false;
    });
    expect(sandbox.state.getTicket(ticketId)?.status.name).toBe('New');
    await waitFor('the incident to be open again', async () => {
      return (await incidentRow(ctx.storage.db, accountId, key))?.state === 'open';
    });
    expect(await ticketRows(ctx.storage.db, accountId)).toHaveLength(1);
    await waitFor('the record to show it open', async () => {
      const res = await read<{ closed: boolean; status: string }>(
        ctx,
        account!,
        `/api/v1/tickets/${ticketId}`,
      );
      return res.body.closed === false && res.body.status === 'New';
    });
  });

  it('follows a merge: the incident moves to the parent ticket and sees it closed', async () => {
    account = await setUpAccount(ctx, sandbox, RULES);
    const { accountId } = account;
    worker = startTrackedWorker(ctx);
    const ticketId = await failAndWaitForTicket(account, 'dev-1');
    const key = keyOf(accountId, 'dev-1');

    // A technician merges the bridge's ticket into the one they already work on.
    sandbox.state.mergeTicket(ticketId, 30001);
    await waitFor('the incident to follow the parent', async () => {
      return (await incidentRow(ctx.storage.db, accountId, key))?.ticket_id === 30001;
    });
    const merged = await read<{
      mergedIntoTicketId: number;
      status: string;
      mergedIntoUrl: string;
    }>(ctx, account, `/api/v1/tickets/${ticketId}`);
    expect(merged.body).toMatchObject({ mergedIntoTicketId: 30001, status: 'In Progress' });
    expect(merged.body.mergedIntoUrl).toContain('service_recid=30001');
    expect((await incidentRow(ctx.storage.db, accountId, key))?.state).toBe('open');

    // The parent is closed: that closes the incident's ticket.
    sandbox.state.setTicketStatus(30001, 'Resolved');
    await waitFor('tracking to see the parent closed', async () => {
      return (await incidentRow(ctx.storage.db, accountId, key))?.state === 'closedExternally';
    });
    const incident = await read<{ ticket: { ticketId: number; closedBy: string } }>(
      ctx,
      account,
      `/api/v1/incidents/${encodeURIComponent(key)}`,
    );
    expect(incident.body.ticket).toMatchObject({ ticketId: 30001, closedBy: 'technician' });
  });

  it('finds a ticket turned into a project ticket, and marks a deleted one', async () => {
    account = await setUpAccount(ctx, sandbox, RULES);
    const { accountId } = account;
    worker = startTrackedWorker(ctx);
    const projectId = await failAndWaitForTicket(account, 'dev-1');
    const deletedId = await failAndWaitForTicket(account, 'dev-2');

    // One becomes a project ticket (same id: the two share one sequence), one is deleted.
    const service = sandbox.state.getTicket(projectId)!;
    const template = sandbox.state.getProjectTicket(30010)!;
    sandbox.state.deleteTicket(projectId);
    sandbox.state.projectTickets.insert({
      ...template,
      id: projectId,
      summary: service.summary,
      company: service.company,
      closedFlag: false,
    });
    sandbox.state.deleteTicket(deletedId);

    await waitFor('tracking to find both', async () => {
      const rows = await ticketRows(ctx.storage.db, accountId);
      return rows.some((r) => r.record_type === 'project') && rows.some((r) => r.deleted_at);
    });
    const rows = await ticketRows(ctx.storage.db, accountId);
    expect(rows.find((r) => r.cw_ticket_id === projectId)).toMatchObject({
      record_type: 'project',
      deleted_at: null,
    });
    expect(rows.find((r) => r.cw_ticket_id === deletedId)?.deleted_at).not.toBeNull();
    const deletedKey = keyOf(accountId, 'dev-2');
    await waitFor('the incident of the deleted ticket to let go of it', async () => {
      return (
        (await incidentRow(ctx.storage.db, accountId, deletedKey))?.state === 'closedExternally'
      );
    });
    const incident = await read<{ ticket: { deleted: boolean } }>(
      ctx,
      account,
      `/api/v1/incidents/${encodeURIComponent(deletedKey)}`,
    );
    expect(incident.body.ticket.deleted).toBe(true);
    const kinds = await read<{ activity: { kind: string }[] }>(
      ctx,
      account,
      '/api/v1/activity?kind=tracking.*',
    );
    expect(kinds.body.activity.map((line) => line.kind).sort()).toEqual([
      'tracking.converted',
      'tracking.deleted',
    ]);

    // The project ticket is still followed: closing it there is seen.
    sandbox.state.projectTickets.update(projectId, (t) => {
      t.closedFlag = true;
    });
    await waitFor('tracking to see the project ticket closed', async () => {
      const state = (await incidentRow(ctx.storage.db, accountId, keyOf(accountId, 'dev-1')))
        ?.state;
      return state === 'closedExternally';
    });
  });
});
