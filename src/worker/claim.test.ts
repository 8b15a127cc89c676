import { beforeEach, expect, it } from 'vitest';

import { createAccount } from '../accounts/accounts.js';
import { toIso } from '../storage/columns.js';
import { describeEachDialect } from '../storage/testing.js';
import { claimJobs } from './claim.js';
import { enqueueJob, type Job } from './jobs.js';
import { recordBlocked, recordDone, recordRetry, requeueBlocked } from './record.js';

const T0 = new Date('2026-12-03T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const ids = (jobs: readonly Job[]): string[] => jobs.map((job) => job.id);

describeEachDialect('claiming jobs', (ctx) => {
  // Claims see every account's jobs: each test starts from an empty queue.
  beforeEach(async () => {
    await ctx.db.deleteFrom('jobs').execute();
  });

  async function account(): Promise<string> {
    return (await createAccount(ctx.db, { name: 'Claim MSP' })).id;
  }

  async function enqueue(
    accountId: string,
    orderingKey: string,
    options: { runAfter?: Date; atMs?: number } = {},
  ): Promise<string> {
    return enqueueJob(
      ctx.db,
      {
        accountId,
        kind: 'action',
        orderingKey,
        payload: {},
        runAfter: toIso(options.runAfter ?? T0),
        ...(options.atMs !== undefined && { placement: { atMs: options.atMs } }),
      },
      T0,
    );
  }

  const claim = (workerId: string, now = T0, limit = 10, excludeAccounts: string[] = []) =>
    claimJobs(ctx.db, ctx.dialect, { workerId, limit, leaseMs: 60_000, now, excludeAccounts });

  it('runs the jobs of one ordering key one at a time, oldest first, and keys in parallel', async () => {
    const acc = await account();
    const a1 = await enqueue(acc, `k:${acc}:a`);
    const a2 = await enqueue(acc, `k:${acc}:a`);
    const b1 = await enqueue(acc, `k:${acc}:b`);

    const first = await claim('w1');
    expect(ids(first).sort()).toEqual([a1, b1].sort());
    expect(first.every((job) => job.state === 'running' && job.lockedBy === 'w1')).toBe(true);
    expect(first.every((job) => job.attempts === 1)).toBe(true);
    expect(await claim('w2')).toEqual([]);

    expect(await recordDone(ctx.db, { id: a1 }, 'w1', T0)).toBe(true);
    expect(ids(await claim('w2'))).toEqual([a2]);
  });

  it('keeps later jobs of a key waiting behind a job retried later', async () => {
    const acc = await account();
    const a1 = await enqueue(acc, `k:${acc}:a`);
    await enqueue(acc, `k:${acc}:a`);
    await claim('w1');
    await recordRetry(ctx.db, { id: a1 }, 'w1', { runAfter: at(60_000), reason: 'HTTP 503' }, T0);

    expect(await claim('w1', at(1_000))).toEqual([]);
    expect(ids(await claim('w1', at(60_000)))).toEqual([a1]);
  });

  it('keeps a key waiting behind a blocked job until it is requeued', async () => {
    const acc = await account();
    const a1 = await enqueue(acc, `k:${acc}:a`);
    await enqueue(acc, `k:${acc}:a`);
    await claim('w1');
    await recordBlocked(
      ctx.db,
      { id: a1 },
      'w1',
      { code: 'permission_missing', reason: 'no add', fix: 'grant it' },
      T0,
    );
    expect(await claim('w1', at(1_000))).toEqual([]);

    expect(await requeueBlocked(ctx.db, { accountId: acc, jobId: a1 }, at(2_000))).toBe(1);
    const again = await claim('w1', at(2_000));
    expect(ids(again)).toEqual([a1]);
    expect(again[0]?.attempts).toBe(2);
  });

  it('lets another worker take a job whose lease expired, and refuses the first its outcome', async () => {
    const acc = await account();
    const a1 = await enqueue(acc, `k:${acc}:a`);
    await claim('w1');
    expect(await claim('w2', at(59_000))).toEqual([]);

    const taken = await claim('w2', at(61_000));
    expect(ids(taken)).toEqual([a1]);
    expect(taken[0]).toMatchObject({ lockedBy: 'w2', attempts: 2 });
    expect(await recordDone(ctx.db, { id: a1 }, 'w1', at(61_000))).toBe(false);
    expect(await recordDone(ctx.db, { id: a1 }, 'w2', at(61_000))).toBe(true);
  });

  it('lets jobs that arrive before a future tick pass it, and holds later ones behind it', async () => {
    const acc = await account();
    const key = `k:${acc}:company`;
    const tick = await enqueue(acc, key, {
      runAfter: at(3_600_000),
      atMs: at(3_600_000).getTime(),
    });
    const before = await enqueue(acc, key, { atMs: at(1_000).getTime() });
    expect(ids(await claim('w1', at(2_000)))).toEqual([before]);
    await recordDone(ctx.db, { id: before }, 'w1', at(2_000));

    const after = await enqueue(acc, key, {
      runAfter: at(3_700_000),
      atMs: at(3_700_000).getTime(),
    });
    expect(ids(await claim('w1', at(3_700_000)))).toEqual([tick]);
    await recordDone(ctx.db, { id: tick }, 'w1', at(3_700_000));
    expect(ids(await claim('w1', at(3_700_000)))).toEqual([after]);
  });

  it('claims nothing of accounts at their limit', async () => {
    const busy = await account();
    const other = await account();
    await enqueue(busy, `k:${busy}:a`);
    const mine = await enqueue(other, `k:${other}:a`);
    expect(ids(await claim('w1', T0, 10, [busy]))).toEqual([mine]);
  });

  it('never gives one job to two workers claiming at the same time', async () => {
    const acc = await account();
    const all: string[] = [];
    for (let i = 0; i < 40; i++) all.push(await enqueue(acc, `k:${acc}:${i}`));
    const batches = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((worker) => claim(worker, T0, 15)),
    );
    const claimed = batches.flatMap(ids);
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = ids(await claim('w5', T0, 100));
    expect([...claimed, ...rest].sort()).toEqual([...all].sort());
  });
});
