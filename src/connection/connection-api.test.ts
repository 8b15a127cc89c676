import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { TestApp } from '../api/testing.js';
import { addUser, describeAppEachDialect, seedAccount, signIn } from '../api/testing.js';
import { parseConfig } from '../config/config.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { DEMO_CREDENTIALS, startSandbox } from '../sandbox/index.js';
import { privateKeyContext } from './connection-store.js';

const URL = '/api/v1/connectwise/connection';
const PRIVATE_KEY = DEMO_CREDENTIALS.bridge.privateKey;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

function body(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    publicKey: DEMO_CREDENTIALS.bridge.publicKey,
    privateKey: PRIVATE_KEY,
    ...overrides,
  };
}

async function admin(ctx: TestApp) {
  const { account, user } = await seedAccount(ctx.storage);
  return { account, cookie: await signIn(ctx.app, user.email) };
}

/** Each test signs a new admin in: more than the default sign-in rate limit allows. */
const SIGN_INS = { loginRateLimit: { max: 1_000, windowMs: 60_000 } };

interface ErrorAnswer {
  error: { code: string; message: string; errors?: { path: string; message: string }[] };
}

describeAppEachDialect(
  'ConnectWise connection API',
  (ctx) => {
    const seen: string[] = [];
    const send = async (request: InjectOptions): Promise<LightMyRequestResponse> => {
      const res = await ctx.app.inject(request);
      seen.push(JSON.stringify(res.headers), res.body);
      return res;
    };

    it('saves the connection after a passing check and shows the public key masked', async () => {
      const { account, cookie } = await admin(ctx);
      const saved = await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });

      expect(saved.statusCode).toBe(200);
      const answer = saved.json<{
        connection: Record<string, unknown>;
        check: Record<string, unknown>;
      }>();
      expect(answer.check).toMatchObject({ ok: true, codebase: 'v2025_1/', problems: [] });
      expect(answer.connection).toMatchObject({
        site: sandbox.url,
        companyId: 'psademo',
        publicKeyMasked: 'Demo••••••••001',
        apiBase: sandbox.url,
        codebase: 'v2025_1/',
        status: 'ok',
      });

      const shown = await send({ method: 'GET', url: URL, headers: { cookie } });
      expect(shown.statusCode).toBe(200);
      const connection = shown.json<{ connection: Record<string, unknown> }>().connection;
      expect(connection).toMatchObject({ publicKeyMasked: 'Demo••••••••001', status: 'ok' });
      expect(connection).toHaveProperty('lastCheck.permissions.length', 7);
      expect(JSON.stringify(connection)).not.toContain(DEMO_CREDENTIALS.bridge.publicKey);

      // At rest the private key exists only encrypted, bound to this account.
      const row = await ctx.storage.db
        .selectFrom('cw_connections')
        .selectAll()
        .where('account_id', '=', account.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(PRIVATE_KEY);
      expect(
        ctx.deps.secretBox.decrypt(row.private_key_encrypted, privateKeyContext(account.id)),
      ).toBe(PRIVATE_KEY);
      expect(() =>
        ctx.deps.secretBox.decrypt(row.private_key_encrypted, 'connectwise:acc_other'),
      ).toThrow();
    });

    it('refuses wrong keys with their own message and saves nothing', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({
        method: 'PUT',
        url: URL,
        headers: { cookie },
        payload: body({ privateKey: 'WrongPrivate0001' }),
      });

      expect(res.statusCode).toBe(400);
      const { error } = res.json<ErrorAnswer>();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(/did not accept the public and private key/);
      expect(error.errors).toEqual([
        { path: 'publicKey', message: expect.stringContaining('(wrong_keys)') as string },
      ]);
      const after = await send({ method: 'GET', url: URL, headers: { cookie } });
      expect(after.json()).toEqual({ connection: null });
    });

    it('refuses an unknown company with its own message', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({
        method: 'PUT',
        url: URL,
        headers: { cookie },
        payload: body({ companyId: 'someoneelse' }),
      });

      expect(res.statusCode).toBe(400);
      const { error } = res.json<ErrorAnswer>();
      expect(error.message).toContain('does not know the company ID "someoneelse"');
      expect(error.errors?.[0]?.path).toBe('companyId');
    });

    it('names each missing permission and where to grant it', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({
        method: 'PUT',
        url: URL,
        headers: { cookie },
        payload: body({
          publicKey: DEMO_CREDENTIALS.limited.publicKey,
          privateKey: DEMO_CREDENTIALS.limited.privateKey,
        }),
      });

      expect(res.statusCode).toBe(400);
      const messages = res.json<ErrorAnswer>().error.errors?.map((e) => e.message) ?? [];
      expect(messages).toHaveLength(2);
      expect(messages[0]).toContain('Service Desk › Service Tickets › Edit Level: All');
      expect(messages[1]).toContain('System › Table Setup');
      for (const message of messages) expect(message).toContain('System › Security Roles');
    });

    it('keeps a good connection when a later save fails its check', async () => {
      const { cookie } = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });
      const failed = await send({
        method: 'PUT',
        url: URL,
        headers: { cookie },
        payload: body({ privateKey: 'WrongPrivate0001' }),
      });
      expect(failed.statusCode).toBe(400);

      const shown = await send({ method: 'GET', url: URL, headers: { cookie } });
      expect(shown.json()).toMatchObject({ connection: { status: 'ok' } });
    });

    it('keeps the saved private key when a save leaves it out', async () => {
      const { cookie } = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });
      const { privateKey: _omitted, ...withoutKey } = body();
      const res = await send({ method: 'PUT', url: URL, headers: { cookie }, payload: withoutKey });
      expect(res.statusCode).toBe(200);
    });

    it('asks for the private key when none is saved yet', async () => {
      const { cookie } = await admin(ctx);
      const { privateKey: _omitted, ...withoutKey } = body();
      const res = await send({ method: 'PUT', url: URL, headers: { cookie }, payload: withoutKey });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorAnswer>().error.errors).toEqual([
        { path: 'privateKey', message: expect.stringContaining('Enter the private key') as string },
      ]);
    });

    it('checks credentials without saving them', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({
        method: 'POST',
        url: `${URL}/check`,
        headers: { cookie },
        payload: body(),
      });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        check: {
          ok: true,
          steps: [
            { name: 'site', status: 'passed' },
            { name: 'keys', status: 'passed' },
            { name: 'permissions', status: 'passed' },
          ],
        },
      });
      const after = await send({ method: 'GET', url: URL, headers: { cookie } });
      expect(after.json()).toEqual({ connection: null });
    });

    it('reports a failing check with 200 and the problems, each with a code and a fix', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({
        method: 'POST',
        url: `${URL}/check`,
        headers: { cookie },
        payload: body({ privateKey: 'WrongPrivate0001' }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        check: { ok: false, problems: [{ code: 'wrong_keys', field: 'publicKey' }] },
      });
    });

    it('re-checks the saved connection and marks it broken when its key is revoked', async () => {
      const { cookie } = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });

      sandbox.state.revokeApiKey(DEMO_CREDENTIALS.bridge.publicKey);
      try {
        const res = await send({ method: 'POST', url: `${URL}/check`, headers: { cookie } });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          check: { ok: false, problems: [{ code: 'wrong_keys' }] },
        });
      } finally {
        sandbox.state.addApiKey('bridge-api', { ...DEMO_CREDENTIALS.bridge });
      }
      const shown = await send({ method: 'GET', url: URL, headers: { cookie } });
      expect(shown.json()).toMatchObject({
        connection: { status: 'broken', lastCheck: { problems: [{ code: 'wrong_keys' }] } },
      });
    });

    it('answers 409 to a re-check when nothing is saved', async () => {
      const { cookie } = await admin(ctx);
      const res = await send({ method: 'POST', url: `${URL}/check`, headers: { cookie } });
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorAnswer>().error.message).toMatch(/No ConnectWise connection is saved/);
    });

    it('removes the connection', async () => {
      const { cookie } = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });

      expect((await send({ method: 'DELETE', url: URL, headers: { cookie } })).statusCode).toBe(
        204,
      );
      expect((await send({ method: 'GET', url: URL, headers: { cookie } })).json()).toEqual({
        connection: null,
      });
      expect((await send({ method: 'DELETE', url: URL, headers: { cookie } })).statusCode).toBe(
        404,
      );
    });

    it('lets viewers see the connection but not change or check it', async () => {
      const { account, cookie } = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie }, payload: body() });
      const viewer = await addUser(ctx.storage, account.id, 'viewer');
      const viewerCookie = await signIn(ctx.app, viewer.email);

      const shown = await send({ method: 'GET', url: URL, headers: { cookie: viewerCookie } });
      expect(shown.statusCode).toBe(200);
      for (const [method, url] of [
        ['PUT', URL],
        ['POST', `${URL}/check`],
        ['DELETE', URL],
      ] as const) {
        const res = await send({ method, url, headers: { cookie: viewerCookie }, payload: body() });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
      }
    });

    it('never shows one account’s connection to another', async () => {
      const first = await admin(ctx);
      await send({ method: 'PUT', url: URL, headers: { cookie: first.cookie }, payload: body() });
      const second = await admin(ctx);

      expect(
        (await send({ method: 'GET', url: URL, headers: { cookie: second.cookie } })).json(),
      ).toEqual({
        connection: null,
      });
      const boards = await send({
        method: 'GET',
        url: '/api/v1/connectwise/boards',
        headers: { cookie: second.cookie },
      });
      expect(boards.statusCode).toBe(409);
      expect(
        (await send({ method: 'DELETE', url: URL, headers: { cookie: second.cookie } })).statusCode,
      ).toBe(404);
      const firstStill = await send({ method: 'GET', url: URL, headers: { cookie: first.cookie } });
      expect(firstStill.json()).toMatchObject({ connection: { status: 'ok' } });
    });

    // Runs last: every answer and log line of this block is searched for the private keys.
    it('never writes a private key to an answer or a log line', () => {
      const logs = ctx.logs();
      expect(logs).toContain('connectwise connection checked');
      expect(logs).toContain('connectwise call');
      const answers = seen.join('\n');
      for (const secret of [PRIVATE_KEY, DEMO_CREDENTIALS.limited.privateKey, 'WrongPrivate0001']) {
        expect(logs).not.toContain(secret);
        expect(answers).not.toContain(secret);
      }
    });
  },
  SIGN_INS,
);

describeAppEachDialect(
  'ConnectWise connection API without a clientId',
  (ctx) => {
    it('refuses to save with a message about the bridge configuration', async () => {
      const { cookie } = await admin(ctx);
      const res = await ctx.app.inject({
        method: 'PUT',
        url: URL,
        headers: { cookie },
        payload: body(),
      });

      expect(res.statusCode).toBe(400);
      const { error } = res.json<ErrorAnswer>();
      expect(error.message).toContain('no ConnectWise clientId configured');
      expect(error.errors?.[0]).toEqual({
        path: 'clientId',
        message: expect.stringContaining('PSABRIDGE_CLIENT_ID') as string,
      });
    });
  },
  {
    config: { ...parseConfig({ PSABRIDGE_DATA_DIR: '/nonexistent/psabridge-test' }), clientId: '' },
  },
);
