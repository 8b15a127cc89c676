/**
 * Delivery through ConnectWise's bad days, end to end against the sandbox's fault injection:
 * outages, lost answers, throttling, a permission taken away, a company that cannot take
 * tickets. Nothing may be lost and nothing doubled.
 */
import { expect, it } from 'vitest';

import type { DeliveryStatusView } from '../api/contract/delivery.js';
import { syncCompanies } from '../companies/sync.js';
import { openManageClient } from '../connection/open-client.js';
import {
  backupEvent,
  callApi,
  describeDeliveryEachDialect,
  drained,
  pendingJobs,
  postEvents,
  setUpDeliveryAccount,
  startTestWorker,
  waitFor,
  type DeliveryTestContext,
} from './test-support.js';

const ROLE = 'psabridge Integration';
const ADD_TICKETS = 'Service Desk › Service Tickets › Add Level: All';

/** The bridge's tickets in the sandbox, by correlation key. */
function ticketsByXRef(ctx: DeliveryTestContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ticket of ctx.sandbox.state.listTickets()) {
    if (ticket.externalXRef?.startsWith('psab1:') !== true) continue;
    counts.set(ticket.externalXRef, (counts.get(ticket.externalXRef) ?? 0) + 1);
  }
  return counts;
}

const devices = (n: number): string[] => Array.from({ length: n }, (_, i) => `dev-${i + 1}`);

describeDeliveryEachDialect('delivery through faults', (ctx) => {
  it('drains the backlog after a ConnectWise outage, with no ticket lost or doubled', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    // Every call fails: half with 503, half with a connection dropped without an answer.
    ctx.sandbox.faults.add({ kind: 'status', status: 503, path: '/*', fraction: 0.5 });
    ctx.sandbox.faults.add({ kind: 'timeout', path: '/*', holdMs: 30 });
    await postEvents(
      ctx.harness,
      account,
      devices(3).map((device) => backupEvent('backup.failed', { device })),
    );
    const worker = startTestWorker(ctx.harness);
    try {
      await waitFor('several failed runs of every create', async () => {
        const jobs = await pendingJobs(ctx.harness, account.accountId);
        const creates = jobs.filter((job) => job.kind === 'action');
        return creates.length === 3 && creates.every((job) => job.attempts >= 3);
      });
      // Ingestion goes on while ConnectWise is down.
      await postEvents(ctx.harness, account, [backupEvent('backup.failed', { device: 'dev-4' })]);
      expect(ticketsByXRef(ctx).size).toBe(0);

      ctx.sandbox.faults.clear();
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    const tickets = ticketsByXRef(ctx);
    expect(tickets.size).toBe(4);
    expect([...tickets.values()].every((count) => count === 1)).toBe(true);
    expect(worker.events.some((event) => event.type === 'job.retry')).toBe(true);
    expect(worker.events.some((event) => event.type === 'job.blocked')).toBe(false);
  });

  it('makes exactly one ticket when a create is committed but its answer is lost', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    ctx.sandbox.state.journal.clear();
    ctx.sandbox.faults.add({ kind: 'dropAfterCommit', endpoint: 'createTicket', times: 1 });
    await postEvents(ctx.harness, account, [backupEvent('backup.failed')]);
    const worker = startTestWorker(ctx.harness);
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    expect([...ticketsByXRef(ctx).values()]).toEqual([1]);
    const creates = ctx.sandbox.state.journal.entries('createTicket');
    expect(creates.map((entry) => entry.status)).toEqual([0]);
    const kinds = await ctx.harness.storage.db
      .selectFrom('activity')
      .select('kind')
      .where('account_id', '=', account.accountId)
      .where('kind', 'like', 'ticket.%')
      .execute();
    expect(kinds.map((row) => row.kind)).toEqual(['ticket.reconciled']);
  });

  it('looks for the ticket again before any second create when the look-up failed too', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    ctx.sandbox.state.journal.clear();
    ctx.sandbox.faults.add({ kind: 'dropAfterCommit', endpoint: 'createTicket', times: 1 });
    ctx.sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'listTickets', times: 4 });
    await postEvents(ctx.harness, account, [backupEvent('backup.failed')]);
    const worker = startTestWorker(ctx.harness);
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    expect([...ticketsByXRef(ctx).values()]).toEqual([1]);
    expect(ctx.sandbox.state.journal.entries('createTicket')).toHaveLength(1);
  });

  it('obeys 429 Retry-After: no call of the account before it elapses', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    const retryAfterSeconds = 2;
    ctx.sandbox.faults.add({
      kind: 'status',
      status: 429,
      retryAfterSeconds,
      endpoint: 'createTicket',
      times: 3,
    });
    await postEvents(
      ctx.harness,
      account,
      devices(3).map((device) => backupEvent('backup.failed', { device })),
    );
    ctx.sandbox.state.journal.clear();
    // One call at a time for the account, so the journal's order is the order calls were sent.
    const worker = startTestWorker(ctx.harness, { perAccountConcurrency: 1 });
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    expect([...ticketsByXRef(ctx).values()]).toEqual([1, 1, 1]);
    // Only the worker calls the sandbox now (a throttled call is answered before it is
    // authenticated, so it names no member).
    const calls = ctx.sandbox.state.journal.entries();
    const throttled = calls.flatMap((call, index) => (call.status === 429 ? [index] : []));
    expect(throttled).toHaveLength(3);
    // The journal's times are whole seconds (ConnectWise's format); a wait of at least R
    // seconds always shows as a difference of at least R.
    for (const index of throttled) {
      const next = calls[index + 1];
      expect(next).toBeDefined();
      const waitedSeconds = (Date.parse(next!.at) - Date.parse(calls[index]!.at)) / 1000;
      expect(waitedSeconds).toBeGreaterThanOrEqual(retryAfterSeconds);
    }
  });

  it('blocks on a lost permission with its name and fix, and resumes by itself once restored', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
      conditions: { backup: { noteIntervalMinutes: 0 } },
    });
    ctx.sandbox.state.setRoleLevel(ROLE, 'serviceTickets', 'add', 'None');
    const t0 = Date.now();
    await postEvents(ctx.harness, account, [
      backupEvent('backup.failed', { occurredAt: new Date(t0), errorCode: 'E1' }),
      backupEvent('backup.failed', { occurredAt: new Date(t0 + 60_000), errorCode: 'E2' }),
    ]);
    const worker = startTestWorker(ctx.harness, { blockedRecheckMs: 300 });
    try {
      await waitFor('the create to block', async () => {
        const jobs = await pendingJobs(ctx.harness, account.accountId);
        return jobs.some((job) => job.state === 'blocked');
      });
      const status = await callApi(ctx.harness, account.accountId, {
        method: 'GET',
        path: '/api/v1/delivery',
        role: 'viewer',
      });
      expect(status.status).toBe(200);
      const view = status.body as DeliveryStatusView;
      expect(view.blocked).toBe(1);
      expect(view.blockedJobs[0]).toMatchObject({
        kind: 'action',
        action: 'create',
        code: 'permission_missing',
        waiting: 1,
      });
      expect(view.blockedJobs[0]!.reason).toBe(
        `ConnectWise refused POST /service/tickets: the API member's role lacks ${ADD_TICKETS}.`,
      );
      expect(view.blockedJobs[0]!.fix).toMatch(/^Grant it in System › Security Roles/);
      const incident = await ctx.harness.storage.db
        .selectFrom('incidents')
        .select(['blocked_reason', 'blocked_fix'])
        .where('account_id', '=', account.accountId)
        .executeTakeFirstOrThrow();
      expect(incident.blocked_reason).toContain(ADD_TICKETS);
      expect(ticketsByXRef(ctx).size).toBe(0);

      ctx.sandbox.state.setRoleLevel(ROLE, 'serviceTickets', 'add', 'All');
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    const [ticket, ...others] = ctx.sandbox.state
      .listTickets()
      .filter((t) => t.externalXRef?.startsWith('psab1:'));
    expect(others).toEqual([]);
    const notes = ctx.sandbox.state.listNotes(ticket!.id);
    expect(notes).toHaveLength(2);
    expect(notes[1]!.text).toContain('E2');
    const cleared = await ctx.harness.storage.db
      .selectFrom('incidents')
      .select('blocked_reason')
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(cleared.blocked_reason).toBeNull();
    const lines = await ctx.harness.storage.db
      .selectFrom('activity')
      .select(['kind', 'level'])
      .where('account_id', '=', account.accountId)
      .where('kind', '=', 'delivery.blocked')
      .execute();
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.every((line) => line.level === 'error')).toBe(true);
  });

  it("blocks a company without a contact, and an admin's retry delivers once it has one", async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    await postEvents(ctx.harness, account, [backupEvent('backup.failed', { company: 'Umbrella' })]);
    const worker = startTestWorker(ctx.harness, { blockedRecheckMs: 3_600_000 });
    try {
      await waitFor('the create to block', async () => {
        const jobs = await pendingJobs(ctx.harness, account.accountId);
        return jobs.some((job) => job.state === 'blocked');
      });
      const viewer = await callApi(ctx.harness, account.accountId, {
        method: 'POST',
        path: '/api/v1/delivery/retry',
        body: {},
        role: 'viewer',
      });
      expect(viewer.status).toBe(403);

      ctx.sandbox.state.addContact({ company: 'Umbrella', firstName: 'Una', defaultFlag: true });
      const { db, config } = { db: ctx.harness.storage.db, config: ctx.harness.config };
      const client = await openManageClient(
        { db, secretBox: ctx.harness.secretBox, config },
        account.accountId,
      );
      await syncCompanies({ db, client }, account.accountId);
      const retried = await callApi(ctx.harness, account.accountId, {
        method: 'POST',
        path: '/api/v1/delivery/retry',
        body: {},
      });
      expect(retried).toEqual({ status: 200, body: { requeued: 1 } });
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }
    const umbrella = ctx.sandbox.state
      .listTickets({ company: 'Umbrella' })
      .filter((t) => t.externalXRef?.startsWith('psab1:'));
    expect(umbrella).toHaveLength(1);
    expect(umbrella[0]!.contact?.name).toContain('Una');
  });
});
