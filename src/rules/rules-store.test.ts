import { expect, it } from 'vitest';

import { createAccount } from '../accounts/accounts.js';
import { DEFAULT_RULES, RulesValidationError } from '../domain/index.js';
import { describeEachDialect } from '../storage/testing.js';
import { getRules, getRulesOverride, saveRulesOverride } from './rules-store.js';

describeEachDialect('rules storage', (ctx) => {
  const account = async (): Promise<string> =>
    (await createAccount(ctx.db, { name: 'Rules MSP' })).id;

  it('gives the defaults to an account that saved no override', async () => {
    const accountId = await account();
    expect(await getRules(ctx.db, accountId)).toEqual(DEFAULT_RULES);
    expect(await getRulesOverride(ctx.db, accountId)).toEqual({ override: {}, updatedAt: null });
  });

  it('merges a saved override over the defaults, setting by setting', async () => {
    const accountId = await account();
    const at = new Date('2026-12-03T10:00:00.000Z');
    await saveRulesOverride(
      ctx.db,
      accountId,
      { events: { 'backup.warning': { threshold: 5 } }, storm: { holdMinutes: 0 } },
      at,
    );
    const rules = await getRules(ctx.db, accountId);
    expect(rules.events['backup.warning'].threshold).toBe(5);
    expect(rules.events['backup.warning'].priority).toBe('low');
    expect(rules.storm).toEqual({ ...DEFAULT_RULES.storm, holdMinutes: 0 });
    expect((await getRulesOverride(ctx.db, accountId)).updatedAt).toBe(at.toISOString());
  });

  it('replaces the previous override, and {} goes back to the defaults', async () => {
    const accountId = await account();
    await saveRulesOverride(ctx.db, accountId, { storm: { enabled: false } });
    await saveRulesOverride(ctx.db, accountId, {});
    expect(await getRules(ctx.db, accountId)).toEqual(DEFAULT_RULES);
  });

  it('refuses an invalid override with every problem by path, and keeps the old one', async () => {
    const accountId = await account();
    await saveRulesOverride(ctx.db, accountId, { storm: { devices: 3 } });
    const attempt = saveRulesOverride(ctx.db, accountId, {
      events: { 'backup.warning': { threshold: 0 } },
      storm: { colour: 'red' },
    });
    await expect(attempt).rejects.toBeInstanceOf(RulesValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as RulesValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['events.backup.warning.threshold', 'storm']),
    );
    expect((await getRules(ctx.db, accountId)).storm.devices).toBe(3);
  });

  it('keeps accounts apart', async () => {
    const first = await account();
    const second = await account();
    await saveRulesOverride(ctx.db, first, { storm: { enabled: false } });
    expect((await getRules(ctx.db, second)).storm.enabled).toBe(true);
  });
});
