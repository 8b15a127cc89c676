import { expect, it } from 'vitest';

import { DEFAULT_RULES } from '../../domain/index.js';
import { addUser, describeAppEachDialect, seedAccount, signIn } from '../testing.js';

describeAppEachDialect('rules API', (ctx) => {
  async function admin(): Promise<{ cookie: string; accountId: string }> {
    const { account, user } = await seedAccount(ctx.storage);
    return { cookie: await signIn(ctx.app, user.email), accountId: account.id };
  }

  it('shows the default rules to an account that never changed them', async () => {
    const { cookie } = await admin();
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/rules', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rules: DEFAULT_RULES, override: {}, updatedAt: null });
  });

  it('stores an override and answers with the merged rules', async () => {
    const { cookie } = await admin();
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/rules',
      headers: { cookie },
      payload: {
        events: { 'backup.warning': { threshold: 5 } },
        companies: { ACME: { ticketing: false } },
      },
    });
    expect(put.statusCode).toBe(200);
    const body = put.json<{ rules: typeof DEFAULT_RULES; override: unknown; updatedAt: string }>();
    expect(body.rules.events['backup.warning']).toEqual({
      ...DEFAULT_RULES.events['backup.warning'],
      threshold: 5,
    });
    expect(body.rules.companies).toEqual({ ACME: { ticketing: false } });
    expect(body.override).toEqual({
      events: { 'backup.warning': { threshold: 5 } },
      companies: { ACME: { ticketing: false } },
    });
    const get = await ctx.app.inject({ method: 'GET', url: '/api/v1/rules', headers: { cookie } });
    expect(get.json()).toEqual(body);
  });

  it('refuses an invalid override naming each bad setting, and keeps the stored one', async () => {
    const { cookie } = await admin();
    await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/rules',
      headers: { cookie },
      payload: { storm: { devices: 3 } },
    });
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/rules',
      headers: { cookie },
      payload: { storm: { devices: 1 }, events: { 'backup.failed': { priority: 'urgent' } } },
    });
    expect(res.statusCode).toBe(400);
    const error = res.json<{
      error: { code: string; errors: { path: string; message: string }[] };
    }>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual(
      expect.arrayContaining([
        { path: 'storm.devices', message: 'devices must be a whole number from 2 to 10000' },
        {
          path: 'events.backup.failed.priority',
          message: 'priority must be one of critical, high, medium, low',
        },
      ]),
    );
    const get = await ctx.app.inject({ method: 'GET', url: '/api/v1/rules', headers: { cookie } });
    expect(get.json<{ rules: typeof DEFAULT_RULES }>().rules.storm.devices).toBe(3);
  });

  it('lets a viewer read the rules but not change them', async () => {
    const { accountId } = await admin();
    const viewer = await addUser(ctx.storage, accountId, 'viewer');
    const cookie = await signIn(ctx.app, viewer.email);
    const get = await ctx.app.inject({ method: 'GET', url: '/api/v1/rules', headers: { cookie } });
    expect(get.statusCode).toBe(200);
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/rules',
      headers: { cookie },
      payload: {},
    });
    expect(put.statusCode).toBe(403);
  });
});
