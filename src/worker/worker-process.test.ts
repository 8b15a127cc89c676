/**
 * `psabridge worker` as a real process: killed with SIGKILL in the middle of delivering (its
 * ConnectWise calls in flight, slowed by the sandbox), another worker process takes over once
 * the leases expire, and nothing is lost or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import {
  backupEvent,
  describeDeliveryEachDialect,
  drained,
  postEvents,
  setUpDeliveryAccount,
  waitFor,
  type DeliveryHarness,
} from './test-support.js';

const BIN = fileURLToPath(new URL('../../bin/psabridge.js', import.meta.url));

/** Starts `psabridge worker` on the harness's database. */
function spawnWorker(harness: DeliveryHarness, workerId: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--worker-id',
      workerId,
      '--lease-ms',
      '1500',
      '--poll-interval-ms',
      '50',
      // A short request timeout keeps the wait for the victim's create to settle short.
      '--connectwise-timeout-ms',
      '3000',
    ],
    { env: { ...process.env, ...harness.childEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describeDeliveryEachDialect('worker process', (ctx) => {
  it('resumes after a worker is killed mid-delivery, without a duplicate or a loss', async () => {
    const account = await setUpDeliveryAccount(ctx.harness, ctx.sandbox, {
      storm: { holdMinutes: 0 },
    });
    // Slow creates: the kill lands while they are in flight, and ConnectWise commits them after.
    ctx.sandbox.faults.add({ kind: 'latency', endpoint: 'createTicket', latencyMs: 1_500 });
    const devices = ['dev-1', 'dev-2', 'dev-3'];
    await postEvents(
      ctx.harness,
      account,
      devices.map((device) => backupEvent('backup.failed', { device })),
    );

    const victim = spawnWorker(ctx.harness, 'victim');
    let rescuer: ChildProcess | undefined;
    try {
      await waitFor('the victim to send creates', () => ctx.sandbox.faults.list()[0]!.fired >= 1, {
        timeoutMs: 60_000,
      });
      const running = await ctx.harness.storage.db
        .selectFrom('jobs')
        .select('id')
        .where('account_id', '=', account.accountId)
        .where('kind', '=', 'action')
        .where('state', '=', 'running')
        .where('locked_by', '=', 'victim')
        .execute();
      expect(running.length).toBeGreaterThanOrEqual(1);
      victim.kill('SIGKILL');
      await exited(victim);

      ctx.sandbox.faults.clear();
      rescuer = spawnWorker(ctx.harness, 'rescuer');
      await waitFor('the backlog to drain', () => drained(ctx.harness, account.accountId), {
        timeoutMs: 60_000,
      });
      rescuer.kill('SIGTERM');
      expect(await exited(rescuer)).toBe(0);
    } finally {
      if (victim.exitCode === null && victim.signalCode === null) victim.kill('SIGKILL');
      if (rescuer !== undefined && rescuer.exitCode === null && rescuer.signalCode === null) {
        rescuer.kill('SIGKILL');
      }
    }

    const tickets = ctx.sandbox.state
      .listTickets()
      .filter((ticket) => ticket.externalXRef?.startsWith('psab1:'));
    expect(tickets).toHaveLength(devices.length);
    expect(new Set(tickets.map((ticket) => ticket.externalXRef)).size).toBe(devices.length);

    // The rescuer found what the victim had created instead of creating it again.
    const lines = await ctx.harness.storage.db
      .selectFrom('activity')
      .select('kind')
      .where('account_id', '=', account.accountId)
      .where('kind', 'in', ['ticket.created', 'ticket.reconciled'])
      .execute();
    expect(lines).toHaveLength(devices.length);
    expect(lines.some((line) => line.kind === 'ticket.reconciled')).toBe(true);
    const stored = await ctx.harness.storage.db
      .selectFrom('incidents')
      .select('ticket_id')
      .where('account_id', '=', account.accountId)
      .execute();
    expect(new Set(stored.map((row) => row.ticket_id))).toEqual(
      new Set(tickets.map((ticket) => ticket.id)),
    );
  });
});
