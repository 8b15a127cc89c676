/**
 * Delivery end to end: events posted over HTTP to the bridge, the worker running against the
 * sandbox, and the outcome checked in the sandbox's own state (what a technician would see).
 */
import { expect, it } from 'vitest';

import { externalXRefOf, incidentKeyOf, stormKeyOf } from '../domain/index.js';
import {
  backupEvent,
  describeDeliveryEachDialect,
  drained,
  postEvents,
  setUpDeliveryAccount,
  startTestWorker,
  waitFor,
  type DeliveryTestContext,
} from './test-support.js';

const MINUTE = 60_000;

/**
 * The real clock plus a jump the test makes by hand, so time can pass faster than it does while
 * ingestion's receipt times (the real clock) stay in the past of the worker's.
 */
function jumpingClock(): {
  now: () => Date;
  advance: (ms: number) => void;
  at: (ms: number) => Date;
} {
  const start = Date.now();
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    at: (ms) => new Date(start + ms),
  };
}

/** The tickets the bridge made (the demo tenant has tickets of its own). */
function bridgeTickets(ctx: DeliveryTestContext) {
  return ctx.sandbox.state
    .listTickets({ company: 'ACME' })
    .filter((ticket) => ticket.externalXRef?.startsWith('psab1:') === true);
}

/** The bridge member's requests in the sandbox's journal, by endpoint name. */
function bridgeCalls(ctx: DeliveryTestContext): string[] {
  return ctx.sandbox.state.journal
    .entries()
    .filter((entry) => entry.member === 'bridge-api')
    .map((entry) => entry.endpoint ?? entry.url);
}

describeDeliveryEachDialect('delivery', (ctx) => {
  it('makes exactly one ticket for a failing backup, on the configured board, for the right company and contact', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    ctx.sandbox.state.journal.clear();
    await postEvents(ctx.harness, account, [backupEvent('backup.failed', { device: 'dev-1' })]);
    const worker = startTestWorker(ctx.harness);
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    const tickets = bridgeTickets(ctx);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    const acme = ctx.sandbox.state.company('ACME');
    const incidentKey = incidentKeyOf({
      accountId: account.accountId,
      company: 'ACME',
      condition: 'backup',
      deviceId: 'dev-1',
    });
    expect(ticket).toMatchObject({
      board: { name: 'Backup Alerts' },
      company: { id: acme.id },
      contact: { id: acme.defaultContact?.id },
      type: { name: 'Backup' },
      subType: { name: 'Failed' },
      item: { name: 'Job' },
      status: { name: 'New' },
      team: { name: 'Backup Team' },
      priority: { name: 'Priority 2 - High' },
      externalXRef: externalXRefOf(incidentKey, 1),
      closedFlag: false,
    });
    expect(ticket.summary).toContain('ACME-DEV-1');
    expect(ctx.sandbox.state.listNotes(ticket.id)[0]).toMatchObject({
      detailDescriptionFlag: true,
    });
    // One ConnectWise call for one ticket action: no look-ups per ticket.
    expect(bridgeCalls(ctx)).toEqual(['createTicket']);

    const { db } = ctx.harness.storage;
    const incident = await db
      .selectFrom('incidents')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ state: 'open', ticket_id: ticket.id, blocked_reason: null });
    const stored = await db
      .selectFrom('tickets')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .execute();
    expect(stored).toMatchObject([{ cw_ticket_id: ticket.id, external_xref: ticket.externalXRef }]);
    const kinds = await db
      .selectFrom('activity')
      .select('kind')
      .where('account_id', '=', account.accountId)
      .orderBy('id')
      .execute();
    expect(kinds.map((row) => row.kind)).toEqual(['event', 'ticket.created']);
  });

  it('coalesces repeats into one note when the note interval has passed', async () => {
    const clock = jumpingClock();
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    const worker = startTestWorker(ctx.harness, { now: clock.now });
    try {
      await postEvents(ctx.harness, account, [
        backupEvent('backup.failed', { occurredAt: clock.at(0) }),
      ]);
      await waitFor('the ticket', () => drained(ctx.harness, account.accountId, clock.now()));
      clock.advance(5 * MINUTE);
      await postEvents(
        ctx.harness,
        account,
        [1, 2, 3].map((minute) =>
          backupEvent('backup.failed', { occurredAt: clock.at(minute * MINUTE), errorCode: 'E1' }),
        ),
      );
      await waitFor('the repeats', () => drained(ctx.harness, account.accountId, clock.now()));
      const [ticket] = bridgeTickets(ctx);
      expect(ctx.sandbox.state.listNotes(ticket!.id)).toHaveLength(1);

      // The note interval (60 minutes) passes: one note with the three repeats.
      clock.advance(60 * MINUTE);
      await waitFor('the note', () => ctx.sandbox.state.listNotes(ticket!.id).length === 2);
      await waitFor('the backlog', () => drained(ctx.harness, account.accountId, clock.now()));
      const notes = ctx.sandbox.state.listNotes(ticket!.id);
      expect(notes).toHaveLength(2);
      expect(notes[1]).toMatchObject({ internalAnalysisFlag: true, detailDescriptionFlag: false });
      expect(notes[1]!.text).toMatch(/^3 more problem events since/);
      expect(bridgeTickets(ctx)).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it('closes the ticket on recovery, with the resolution note written before the close', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    const t0 = Date.now();
    await postEvents(ctx.harness, account, [
      backupEvent('backup.failed', { occurredAt: new Date(t0) }),
      backupEvent('backup.succeeded', { occurredAt: new Date(t0 + MINUTE) }),
    ]);
    ctx.sandbox.state.journal.clear();
    const worker = startTestWorker(ctx.harness);
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    const [ticket, ...others] = bridgeTickets(ctx);
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({ closedFlag: true, status: { name: 'Closed' } });
    const notes = ctx.sandbox.state.listNotes(ticket!.id);
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatchObject({ resolutionFlag: true });
    expect(notes[1]!.text).toMatch(/^Recovered: 1 success in a row/);
    expect(bridgeCalls(ctx)).toEqual(['createTicket', 'createTicketNote', 'patchTicket']);
    const row = await ctx.harness.storage.db
      .selectFrom('tickets')
      .select(['closed', 'cw_status_name'])
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ closed: 1, cw_status_name: 'Closed' });
  });

  it("keeps an incident's actions in order, even when an early call is slow", async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
      conditions: { backup: { noteIntervalMinutes: 0 } },
    });
    const t0 = Date.now();
    await postEvents(ctx.harness, account, [
      backupEvent('backup.failed', { occurredAt: new Date(t0), errorCode: 'E0' }),
      backupEvent('backup.failed', { occurredAt: new Date(t0 + MINUTE), errorCode: 'E1' }),
      backupEvent('backup.failed', { occurredAt: new Date(t0 + 2 * MINUTE), errorCode: 'E2' }),
      backupEvent('backup.succeeded', { occurredAt: new Date(t0 + 3 * MINUTE) }),
    ]);
    ctx.sandbox.faults.add({ kind: 'latency', endpoint: 'createTicket', latencyMs: 300, times: 1 });
    ctx.sandbox.faults.add({
      kind: 'latency',
      endpoint: 'createTicketNote',
      latencyMs: 400,
      times: 1,
    });
    ctx.sandbox.state.journal.clear();
    const worker = startTestWorker(ctx.harness, { concurrency: 8, perAccountConcurrency: 8 });
    try {
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId));
    } finally {
      await worker.stop();
    }

    const [ticket, ...others] = bridgeTickets(ctx);
    expect(others).toEqual([]);
    const notes = ctx.sandbox.state.listNotes(ticket!.id).map((note) => note.text);
    expect(notes).toHaveLength(4);
    expect(notes[1]).toContain('E1');
    expect(notes[2]).toContain('E2');
    expect(notes[3]).toMatch(/^Recovered:/);
    expect(bridgeCalls(ctx)).toEqual([
      'createTicket',
      'createTicketNote',
      'createTicketNote',
      'createTicketNote',
      'patchTicket',
    ]);
    expect(ticket!.closedFlag).toBe(true);
  });

  it('holds a new ticket for a possible storm, and rolls five failing devices into one ticket', async () => {
    const clock = jumpingClock();
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox);
    const worker = startTestWorker(ctx.harness, { now: clock.now });
    try {
      await postEvents(ctx.harness, account, [
        backupEvent('backup.failed', { device: 'dev-1', occurredAt: clock.at(0) }),
      ]);
      await waitFor('the event', () => drained(ctx.harness, account.accountId, clock.now()));
      expect(bridgeTickets(ctx)).toEqual([]);

      clock.advance(MINUTE);
      await postEvents(
        ctx.harness,
        account,
        [2, 3, 4, 5].map((n) =>
          backupEvent('backup.failed', { device: `dev-${n}`, occurredAt: clock.at(MINUTE) }),
        ),
      );
      await waitFor('the storm', () => drained(ctx.harness, account.accountId, clock.now()));
      // The holds end: the devices are carried by the storm, so no device ticket follows.
      clock.advance(10 * MINUTE);
      await waitFor('the ticks', () => drained(ctx.harness, account.accountId, clock.now()));
    } finally {
      await worker.stop();
    }

    const tickets = bridgeTickets(ctx);
    expect(tickets).toHaveLength(1);
    const stormKey = stormKeyOf({
      accountId: account.accountId,
      company: 'ACME',
      condition: 'backup',
    });
    expect(tickets[0]).toMatchObject({ externalXRef: externalXRefOf(stormKey, 1) });
    expect(tickets[0]!.summary).toBe('ACME: backup problems on 5 devices');
    const storm = await ctx.harness.storage.db
      .selectFrom('incidents')
      .select(['device_id', 'state', 'ticket_id'])
      .where('incident_key', '=', stormKey)
      .executeTakeFirstOrThrow();
    expect(storm).toEqual({ device_id: null, state: 'open', ticket_id: tickets[0]!.id });
  });

  it('creates a held ticket once the storm hold ends without a storm', async () => {
    const clock = jumpingClock();
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox);
    const worker = startTestWorker(ctx.harness, { now: clock.now });
    try {
      await postEvents(ctx.harness, account, [
        backupEvent('backup.failed', { occurredAt: clock.at(0) }),
      ]);
      await waitFor('the event', () => drained(ctx.harness, account.accountId, clock.now()));
      expect(bridgeTickets(ctx)).toEqual([]);
      clock.advance(5 * MINUTE);
      await waitFor('the ticket', () => bridgeTickets(ctx).length === 1);
      await waitFor('the backlog', () => drained(ctx.harness, account.accountId, clock.now()));
    } finally {
      await worker.stop();
    }
    expect(bridgeTickets(ctx)).toHaveLength(1);
  });
});
