import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveTicketTarget } from '../../companies/ticket-target.js';
import { connectToSandbox } from '../../companies/testing.js';
import { getConsoleCompanyByName } from '../../companies/registry.js';
import type { ConnectionDeps } from '../../connection/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import type { CompanyListSchema, CompanyReadinessView } from '../contract/companies.js';
import { describeAppEachDialect, seedAccount, signIn, addUser, type TestApp } from '../testing.js';
import type { z } from 'zod';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  // Two companies that fit the console name "Contoso" equally well.
  sandbox.state.addCompany({ identifier: 'ContosoEast', name: 'Contoso' });
  sandbox.state.addCompany({ identifier: 'ContosoWest', name: 'Contoso' });
});
afterAll(() => sandbox.close());

type CompanyList = z.output<typeof CompanyListSchema>;

/** An account connected to the sandbox with a signed-in admin, its companies synced. */
async function connectedAccount(
  ctx: TestApp,
  names: readonly string[],
): Promise<{ accountId: string; cookie: string }> {
  const { account, user } = await seedAccount(ctx.storage);
  const deps: ConnectionDeps = {
    db: ctx.storage.db,
    secretBox: ctx.deps.secretBox,
    config: ctx.deps.config,
  };
  await connectToSandbox(deps, account.id, sandbox);
  const cookie = await signIn(ctx.app, user.email);
  if (names.length > 0) {
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/companies',
      headers: { cookie },
      payload: names,
    });
    expect(put.statusCode).toBe(200);
  }
  const sync = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/companies/sync',
    headers: { cookie },
  });
  expect(sync.statusCode, sync.body).toBe(200);
  return { accountId: account.id, cookie };
}

const company = async (ctx: TestApp, cookie: string, name: string) => {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/companies/${encodeURIComponent(name)}`,
    headers: { cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CompanyReadinessView>();
};

const patch = (ctx: TestApp, cookie: string, name: string, payload: object) =>
  ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/companies/${encodeURIComponent(name)}`,
    headers: { cookie },
    payload,
  });

describeAppEachDialect(
  'companies API',
  (ctx) => {
    it('registers a company once, keeping its settings on a repeat', async () => {
      const { user } = await seedAccount(ctx.storage);
      const cookie = await signIn(ctx.app, user.email);
      const first = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/companies/Acme%20Corp',
        headers: { cookie },
        payload: { ticketingEnabled: false },
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        name: 'Acme Corp',
        registeredBy: 'api',
        ticketingEnabled: false,
        mapping: { state: 'not_synced', source: 'auto' },
        ready: false,
      });

      const again = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/companies/Acme%20Corp',
        headers: { cookie },
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({
        id: first.json<CompanyReadinessView>().id,
        ticketingEnabled: false,
      });
    });

    it('takes any console name in the path, URI-encoded', async () => {
    const { user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const name = 'A/B & Söhne, Inc. #1';
    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/companies/${encodeURIComponent(name)}`,
      headers: { cookie },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await company(ctx, cookie, name)).name).toBe(name);
  });

  it('registers names in bulk idempotently and refuses more than 5,000', async () => {
      const { user } = await seedAccount(ctx.storage);
      const cookie = await signIn(ctx.app, user.email);
      const put = (payload: string[]) =>
        ctx.app.inject({ method: 'PUT', url: '/api/v1/companies', headers: { cookie }, payload });

      const first = await put(['ACME', 'Globex', 'ACME']);
      expect(first.json()).toMatchObject({ created: 2, existing: 0 });
      const second = await put(['ACME', 'Initech']);
      expect(second.json()).toMatchObject({ created: 1, existing: 1 });
      const ids = second.json<{ companies: { id: string; name: string }[] }>().companies;
      expect(ids.find((c) => c.name === 'ACME')?.id).toBe(
        first.json<{ companies: { id: string; name: string }[] }>().companies[0]?.id,
      );

      const many = await put(Array.from({ length: 5001 }, (_, i) => `Company ${i}`));
      expect(many.statusCode).toBe(400);
      expect(many.json()).toMatchObject({ error: { code: 'validation_failed' } });
    });

    it('lets viewers read but not register companies', async () => {
      const { account } = await seedAccount(ctx.storage);
      const viewer = await addUser(ctx.storage, account.id, 'viewer');
      const cookie = await signIn(ctx.app, viewer.email);
      const put = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/companies/ACME',
        headers: { cookie },
      });
      expect(put.statusCode).toBe(403);
      const list = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/companies',
        headers: { cookie },
      });
      expect(list.statusCode).toBe(200);
    });

    it("reports the integration page's company rules, each with its fix", async () => {
      const { cookie } = await connectedAccount(ctx, ['ACME', 'Acme Corp', 'Initech', 'Umbrella']);

      const acme = await company(ctx, cookie, 'ACME');
      expect(acme).toMatchObject({
        ready: true,
        mapping: { state: 'exact', cwCompanyId: 250 },
        cwCompany: { identifier: 'ACME', active: true, contact: { id: 1001, name: 'Wile Coyote' } },
        problems: [],
      });

      const mismatch = await company(ctx, cookie, 'Acme Corp');
      expect(mismatch.mapping.state).toBe('unmatched');
      expect(mismatch.problems[0]?.code).toBe('unmatched');
      expect(mismatch.problems[0]?.message).toContain(
        "No ConnectWise company has Company ID 'Acme Corp'",
      );
      expect(mismatch.problems[0]?.fix).toMatch(/Either rename .* or map it by hand/);

      const inactive = await company(ctx, cookie, 'Initech');
      expect(inactive.problems.map((p) => p.code)).toEqual(['inactive']);
      expect(inactive.problems[0]?.message).toContain(
        "Company 'Initech' is inactive in ConnectWise",
      );
      expect(inactive.problems[0]?.fix).toContain(
        'set its status to Active (Companies › Company › Status)'.replace('set', 'Set'),
      );

      const noContact = await company(ctx, cookie, 'Umbrella');
      expect(noContact.problems.map((p) => p.code)).toEqual(['no_contact']);
      expect(noContact.problems[0]?.message).toContain("'Umbrella' has no contacts");
      expect(noContact.problems[0]?.fix).toContain(
        'add a contact (Companies › Contacts)'.replace('add', 'Add'),
      );
    });

    it('suggests obvious near-misses without applying them, and never picks among equals', async () => {
      const { accountId, cookie } = await connectedAccount(ctx, [
        'Acme Corp',
        'Wayne Enterprises',
        'Stark Industries',
        'Contoso',
      ]);
      const acme = await company(ctx, cookie, 'Acme Corp');
      expect(acme.suggestions[0]).toMatchObject({ cwCompanyId: 250, identifier: 'ACME' });
      expect(acme.suggestionsAmbiguous).toBe(false);
      expect((await company(ctx, cookie, 'Wayne Enterprises')).suggestions[0]?.cwCompanyId).toBe(
        255,
      );
      expect((await company(ctx, cookie, 'Stark Industries')).suggestions[0]?.cwCompanyId).toBe(
        254,
      );

      const contoso = await company(ctx, cookie, 'Contoso');
      expect(contoso.suggestionsAmbiguous).toBe(true);
      expect(contoso.suggestions.map((s) => s.identifier).sort()).toEqual([
        'ContosoEast',
        'ContosoWest',
      ]);
      expect(contoso.problems[0]?.message).toContain('choose one by hand');

      // Suggestions are never a mapping: tickets stay blocked until an admin confirms.
      const stored = await getConsoleCompanyByName(ctx.storage.db, accountId, 'Acme Corp');
      expect(stored?.cwCompanyId).toBeNull();
      const target = await resolveTicketTarget(ctx.storage.db, accountId, stored?.id ?? '');
      expect(target).toMatchObject({ ok: false, problem: { code: 'unmatched' } });

      const accepted = await patch(ctx, cookie, 'Acme Corp', { acceptSuggestion: 250 });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json()).toMatchObject({
        ready: true,
        mapping: { state: 'suggestion', source: 'suggestion', cwCompanyId: 250 },
      });
      expect(await resolveTicketTarget(ctx.storage.db, accountId, stored?.id ?? '')).toEqual({
        ok: true,
        cwCompanyId: 250,
        contactId: 1001,
      });

      const notOffered = await patch(ctx, cookie, 'Stark Industries', { acceptSuggestion: 250 });
      expect(notOffered.statusCode).toBe(400);
      expect(notOffered.json()).toMatchObject({
        error: { code: 'validation_failed', errors: [{ path: 'acceptSuggestion' }] },
      });
    });

    it('maps by hand to a synced live company only, and goes back to the exact rule', async () => {
      const { accountId, cookie } = await connectedAccount(ctx, ['Globex Corp']);

      const unknown = await patch(ctx, cookie, 'Globex Corp', { cwCompanyId: 999_999 });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ error: { errors: [{ path: 'cwCompanyId' }] } });
      const deleted = await patch(ctx, cookie, 'Globex Corp', { cwCompanyId: 249 });
      expect(deleted.statusCode).toBe(400);
      expect(deleted.json<{ error: { message: string } }>().error.message).toContain('is deleted');
      const both = await patch(ctx, cookie, 'Globex Corp', {
        cwCompanyId: 251,
        acceptSuggestion: 251,
      });
      expect(both.statusCode).toBe(400);

      const mapped = await patch(ctx, cookie, 'Globex Corp', { cwCompanyId: 251 });
      expect(mapped.statusCode, mapped.body).toBe(200);
      expect(mapped.json()).toMatchObject({
        ready: true,
        mapping: { state: 'manual', cwCompanyId: 251 },
        cwCompany: { identifier: 'Globex', contact: { id: 1003, name: 'Hank Scorpio' } },
        deletedTwins: [{ cwCompanyId: 249, identifier: 'Globex' }],
      });
      const stored = await getConsoleCompanyByName(ctx.storage.db, accountId, 'Globex Corp');
      expect(stored).toMatchObject({ mappingSource: 'manual', cwCompanyId: 251 });

      const cleared = await patch(ctx, cookie, 'Globex Corp', { clearMapping: true });
      expect(cleared.json()).toMatchObject({ mapping: { state: 'unmatched', source: 'auto' } });
    });

    it('switches ticketing off and on per company', async () => {
      const { accountId, cookie } = await connectedAccount(ctx, ['ACME']);
      const off = await patch(ctx, cookie, 'ACME', { ticketingEnabled: false });
      expect(off.json()).toMatchObject({
        ready: false,
        ticketingEnabled: false,
        problems: [{ code: 'ticketing_disabled' }],
      });
      const id = off.json<CompanyReadinessView>().id;
      expect(await resolveTicketTarget(ctx.storage.db, accountId, id)).toMatchObject({
        ok: false,
        problem: { code: 'ticketing_disabled' },
      });
      const on = await patch(ctx, cookie, 'ACME', { ticketingEnabled: true });
      expect(on.json()).toMatchObject({ ready: true, ticketingEnabled: true, problems: [] });
    });

    it('filters and pages the list', async () => {
      const { cookie } = await connectedAccount(ctx, [
        'ACME',
        'Initech',
        'Umbrella',
        'WAYNE',
        'Nowhere',
      ]);
      const list = async (query: string): Promise<CompanyList> => {
        const res = await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/companies?${query}`,
          headers: { cookie },
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<CompanyList>();
      };
      const all = await list('');
      expect(all.summary).toEqual({ companies: 5, ready: 2, problems: 3 });
      expect(all.sync).toMatchObject({ state: 'ok' });
      expect((await list('status=ready')).companies.map((c) => c.name)).toEqual(['ACME', 'WAYNE']);
      expect((await list('problem=no_contact')).companies.map((c) => c.name)).toEqual(['Umbrella']);
      expect((await list('mapping=unmatched')).companies.map((c) => c.name)).toEqual(['Nowhere']);
      expect((await list('search=in')).companies.map((c) => c.name)).toEqual(['Initech']);
      const page = await list('limit=2&offset=2');
      expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
      expect(page.companies.map((c) => c.name)).toEqual(['Nowhere', 'Umbrella']);
    });

    it("never shows one account another account's companies", async () => {
      const first = await connectedAccount(ctx, ['ACME', 'SecretCo']);
      const second = await connectedAccount(ctx, ['Initech']);
      const list = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/companies',
        headers: { cookie: second.cookie },
      });
      expect(list.json<CompanyList>().companies.map((c) => c.name)).toEqual(['Initech']);
      const other = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/companies/SecretCo',
        headers: { cookie: second.cookie },
      });
      expect(other.statusCode).toBe(404);
      const change = await patch(ctx, second.cookie, 'SecretCo', { ticketingEnabled: false });
      expect(change.statusCode).toBe(404);
      expect((await company(ctx, first.cookie, 'SecretCo')).ticketingEnabled).toBe(true);
    });

    it('answers a sync without a connection with 409 and what to do', async () => {
      const { user } = await seedAccount(ctx.storage);
      const cookie = await signIn(ctx.app, user.email);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/companies/sync',
        headers: { cookie },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ error: { message: string } }>().error.message).toContain(
        'Settings › ConnectWise Manage',
      );
    });
  },
  { loginRateLimit: { max: 10_000, windowMs: 60_000 } },
);
