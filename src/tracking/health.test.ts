/**
 * The integration watching itself, end to end: a worker with tracking beside it, the real
 * sandbox over HTTP, and `GET /api/v1/health` and the activity log read through the API.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeAppEachDialect } from '../api/testing.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { backupEvent, waitFor } from '../worker/test-support.js';
import { requestHealthCheck } from './health-store.js';
import { runAccountWatch } from './health.js';
import type { IntegrationHealth } from './health-view.js';
import { saveConnectionFromConfig } from '../connection/index.js';
import {
  connectionDeps,
  postEvents,
  read,
  removeAccount,
  setUpAccount,
  startTrackedWorker,
  ticketRows,
  trackingContext,
  type TestAccount,
  type TrackedWorker,
} from './test-support.js';

type Lines = { activity: { kind: string; level: string; message: string }[] };

describeAppEachDialect('integration health', (ctx) => {
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

  const health = async (a: TestAccount): Promise<IntegrationHealth> =>
    (await read<IntegrationHealth>(ctx, a, '/api/v1/health')).body;

  it('raises an alarm at once when the worker finds its keys revoked, and clears it and resumes delivery once they work again', async () => {
    account = await setUpAccount(ctx, sandbox, { storm: { holdMinutes: 0 } });
    const a = account;
    // Checked every minute only (and not yet: the connection was checked when it was saved),
    // so what follows comes from the worker's request, not the timer.
    worker = startTrackedWorker(ctx, { healthIntervalMs: 60_000 });
    expect(await health(a)).toMatchObject({
      ok: true,
      checkedAt: null,
      alarm: null,
      connection: { status: 'ok', problems: [] },
      board: { status: 'unknown', name: 'Backup Alerts' },
    });

    sandbox.state.revokeApiKey(DEMO_CREDENTIALS.bridge.publicKey);
    await postEvents(ctx, a, [backupEvent('backup.failed', { device: 'dev-1' })]);
    await waitFor('the alarm', async () => (await health(a)).alarm !== null);
    const broken = await health(a);
    expect(broken).toMatchObject({
      ok: false,
      connection: { status: 'broken' },
      alarm: { codes: ['wrong_keys'] },
      delivery: { blocked: 1 },
    });
    expect(broken.connection.problems.map((p) => p.code)).toEqual(['wrong_keys']);
    expect(broken.connection.problems[0]!.fix).toMatch(/API key/i);
    const alarm = await read<Lines>(ctx, a, '/api/v1/activity?kind=health.alarm');
    expect(alarm.body.activity).toHaveLength(1);
    expect(alarm.body.activity[0]).toMatchObject({ level: 'error' });
    expect(alarm.body.activity[0]!.message).toMatch(/nothing is dropped/);
    // Nothing was dropped: the ticket waits, blocked.
    expect(await ticketRows(ctx.storage.db, a.accountId)).toHaveLength(0);

    // The administrator makes a key work again and saves it (the save checks it): the watch
    // re-checks at once and clears the alarm.
    sandbox.state.addApiKey('bridge-api', DEMO_CREDENTIALS.bridge);
    await saveConnectionFromConfig(connectionDeps(ctx), a.accountId, {
      site: sandbox.url,
      companyId: DEMO_CREDENTIALS.companyId,
      ...DEMO_CREDENTIALS.bridge,
    });
    await waitFor('the alarm to clear', async () => (await health(a)).alarm === null);
    // The requeued create runs again (after the worker's wait for an earlier send to settle).
    await waitFor('the blocked ticket to be delivered', async () => {
      return (await ticketRows(ctx.storage.db, a.accountId)).length === 1;
    });
    await waitFor('health to be ok', async () => (await health(a)).ok);
    const restored = await read<Lines>(ctx, a, '/api/v1/activity?kind=health.restored');
    expect(restored.body.activity).toHaveLength(1);
    expect(restored.body.activity[0]!.message).toMatch(/1 blocked delivery was put back/);
  });

  it('reports a deleted board status as a board problem at the next periodic check', async () => {
    account = await setUpAccount(ctx, sandbox);
    const a = account;
    worker = startTrackedWorker(ctx, { healthIntervalMs: 200 });
    await waitFor('the first check', async () => (await health(a)).board.status === 'ok');

    sandbox.state.deleteBoardStatus('Backup Alerts', 'Closed');
    await waitFor('the board problem', async () => (await health(a)).board.status === 'problems');
    const view = await health(a);
    expect(view.connection.status).toBe('ok');
    expect(view.board.problems).toEqual([
      expect.objectContaining({ code: 'closed_status_not_found' }),
    ]);
    expect(view.alarm?.codes).toEqual(['closed_status_not_found']);
    // Raised once, not at every check while it lasts.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const lines = await read<Lines>(ctx, a, '/api/v1/activity?kind=health.alarm');
    expect(lines.body.activity).toHaveLength(1);
  });

  it('syncs the companies of an account never synced, and checks each account once however many ask', async () => {
    account = await setUpAccount(ctx, sandbox);
    const { db } = ctx.storage;
    await db.deleteFrom('cw_company_syncs').where('account_id', '=', account.accountId).execute();
    await db.deleteFrom('cw_companies').where('account_id', '=', account.accountId).execute();

    await requestHealthCheck(db, account.accountId);

    // Two processes reach for the same due check at once: one runs it (and the sync).
    const outcomes = await Promise.all([
      runAccountWatch(trackingContext(ctx), account.accountId),
      runAccountWatch({ ...trackingContext(ctx), workerId: 'other' }, account.accountId),
    ]);
    const ran = outcomes.filter((outcome) => outcome !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ check: { ok: true, alarm: 'none' }, synced: true });

    const view = await health(account);
    expect(view).toMatchObject({ board: { status: 'ok' }, companySync: { state: 'ok' } });
    expect(view.companySync?.companies).toBeGreaterThan(5);
    // Nothing is due again before the intervals pass.
    expect(await runAccountWatch(trackingContext(ctx), account.accountId)).toBeNull();
  });
});
