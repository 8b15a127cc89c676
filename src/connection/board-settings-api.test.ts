import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { addUser, describeAppEachDialect, seedAccount, signIn } from '../api/testing.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { startSandbox } from '../sandbox/index.js';
import { DEMO_SELECTION, demoInput } from './test-support.js';

const SETTINGS = '/api/v1/connectwise/board-settings';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

interface ErrorAnswer {
  error: { code: string; message: string; errors?: { path: string; message: string }[] };
}

describeAppEachDialect(
  'ConnectWise boards and board settings API',
  (ctx) => {
    /** A new account, signed in, connected to `site`'s demo tenant. */
    async function connected(site: RunningSandbox = sandbox) {
      const { account, user } = await seedAccount(ctx.storage);
      const cookie = await signIn(ctx.app, user.email);
      const res = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/connectwise/connection',
        headers: { cookie },
        payload: demoInput(site),
      });
      expect(res.statusCode, res.body).toBe(200);
      return { account, cookie };
    }

    const call = (cookie: string, request: Omit<InjectOptions, 'headers'>) =>
      ctx.app.inject({ ...request, headers: { cookie } } as InjectOptions);

    const save = (cookie: string, changes: Record<string, unknown> = {}) =>
      call(cookie, { method: 'PUT', url: SETTINGS, payload: { ...DEMO_SELECTION, ...changes } });

    it('lists the service boards and the priorities', async () => {
      const { cookie } = await connected();
      const boards = await call(cookie, { method: 'GET', url: '/api/v1/connectwise/boards' });
      expect(boards.statusCode).toBe(200);
      expect(boards.json()).toEqual({
        boards: [
          { id: 21, name: 'Backup Alerts', inactive: false, project: false },
          { id: 22, name: 'Projects Intake', inactive: false, project: false },
        ],
      });

      const priorities = await call(cookie, {
        method: 'GET',
        url: '/api/v1/connectwise/priorities',
      });
      expect(
        priorities.json<{ priorities: { name: string }[] }>().priorities.map((p) => p.name),
      ).toEqual([
        'Priority 1 - Critical',
        'Priority 2 - High',
        'Priority 3 - Normal',
        'Priority 4 - Low',
      ]);
    });

    it('offers a board’s choices with only the combinations it allows', async () => {
      const { cookie } = await connected();
      const res = await call(cookie, {
        method: 'GET',
        url: '/api/v1/connectwise/boards/21/options',
      });
      expect(res.statusCode).toBe(200);
      const options = res.json<{
        board: { hasDefaultTeam: boolean };
        combinations: {
          type: { name: string };
          subtype: { name: string } | null;
          item: { name: string } | null;
        }[];
        statuses: { name: string; default: boolean; closed: boolean; inactive: boolean }[];
        teams: { name: string; default: boolean }[];
      }>();
      expect(options.board.hasDefaultTeam).toBe(true);
      expect(
        options.combinations.map((c) => `${c.type.name}/${c.subtype?.name}/${c.item?.name}`),
      ).toEqual([
        'Backup/Failed/Job',
        'Backup/Failed/Restore',
        'Backup/Warning/Job',
        'Backup/Missed/Job',
        'Device/Offline/Agent',
        'Device/Quota/Storage',
      ]);
      expect(options.statuses.filter((s) => s.closed).map((s) => s.name)).toEqual([
        'Resolved',
        'Closed',
      ]);
      expect(options.statuses.filter((s) => s.inactive).map((s) => s.name)).toEqual([
        'Escalated (retired)',
      ]);
      expect(options.statuses.find((s) => s.default)?.name).toBe('New');
      expect(options.teams).toEqual([
        { id: 11, name: 'Backup Team', default: true },
        { id: 12, name: 'Escalations', default: false },
      ]);

      const intake = await call(cookie, {
        method: 'GET',
        url: '/api/v1/connectwise/boards/22/options',
      });
      expect(intake.json()).toMatchObject({
        board: { name: 'Projects Intake', hasDefaultTeam: false },
      });
      const missing = await call(cookie, {
        method: 'GET',
        url: '/api/v1/connectwise/boards/999/options',
      });
      expect(missing.statusCode).toBe(404);
    });

    it('saves valid board settings with ConnectWise’s names and shows them', async () => {
      const { cookie } = await connected();
      const res = await save(cookie, { teamId: 12 });
      expect(res.statusCode, res.body).toBe(200);

      const shown = await call(cookie, { method: 'GET', url: SETTINGS });
      expect(shown.json()).toEqual({
        boardSettings: {
          board: { id: 21, name: 'Backup Alerts' },
          type: { id: 201, name: 'Backup' },
          subtype: { id: 301, name: 'Failed' },
          item: { id: 401, name: 'Job' },
          newStatus: { id: 101, name: 'New' },
          closedStatus: { id: 105, name: 'Closed' },
          team: { id: 12, name: 'Escalations' },
          priorities: {
            critical: { id: 1, name: 'Priority 1 - Critical' },
            high: { id: 2, name: 'Priority 2 - High' },
            medium: { id: 3, name: 'Priority 3 - Normal' },
            low: { id: 4, name: 'Priority 4 - Low' },
          },
          updatedAt: expect.any(String) as string,
        },
      });
    });

    it('refuses a board without a default team, with the reason and the fix', async () => {
      const { cookie } = await connected();
      const res = await save(cookie, {
        boardId: 22,
        typeId: 211,
        subtypeId: null,
        itemId: null,
        newStatusId: 111,
        closedStatusId: 113,
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json<ErrorAnswer>();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain(
        'The service board must have a default team for ticket generation',
      );
      expect(error.errors).toEqual([
        {
          path: 'boardId',
          message: expect.stringMatching(
            /System › Setup Tables › Service Board.*Teams tab.*\(board_without_default_team\)/,
          ) as string,
        },
      ]);
      expect((await call(cookie, { method: 'GET', url: SETTINGS })).json()).toEqual({
        boardSettings: null,
      });
    });

    it('refuses a closed status that is not closed and a new status that is closed', async () => {
      const { cookie } = await connected();
      const res = await save(cookie, { newStatusId: 104, closedStatusId: 102 });
      expect(res.statusCode).toBe(400);
      const errors = res.json<ErrorAnswer>().error.errors ?? [];
      expect(errors.map((e) => e.path)).toEqual(['newStatusId', 'closedStatusId']);
      expect(errors[0]?.message).toContain('"Resolved" is a closed status');
      expect(errors[1]?.message).toContain('"In Progress" is not a closed status');
    });

    it('refuses an inactive status', async () => {
      const { cookie } = await connected();
      const res = await save(cookie, { newStatusId: 106 });
      expect(res.json<ErrorAnswer>().error.errors?.[0]?.message).toContain('(new_status_inactive)');
    });

    it('refuses a type/subtype/item combination the board does not allow', async () => {
      const { cookie } = await connected();
      const res = await save(cookie, { typeId: 201, subtypeId: 304, itemId: 403 });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorAnswer>().error.errors).toEqual([
        {
          path: 'itemId',
          message: expect.stringContaining(
            'does not allow the combination Backup / Offline / Agent',
          ) as string,
        },
      ]);
    });

    it('refuses an inactive board and a team that is not on the board', async () => {
      const { cookie } = await connected();
      sandbox.state.setBoardInactive('Backup Alerts');
      try {
        const res = await save(cookie, { teamId: 13 });
        expect(res.json<ErrorAnswer>().error.errors?.map((e) => e.path)).toEqual([
          'boardId',
          'teamId',
        ]);
        expect(res.json<ErrorAnswer>().error.errors?.[0]?.message).toContain('(board_inactive)');
      } finally {
        sandbox.state.setBoardInactive('Backup Alerts', false);
      }
    });

    it('refuses board settings before a connection is saved, and from viewers', async () => {
      const { account, user } = await seedAccount(ctx.storage);
      const cookie = await signIn(ctx.app, user.email);
      const res = await save(cookie);
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorAnswer>().error.message).toContain('No ConnectWise connection is saved');

      const viewer = await addUser(ctx.storage, account.id, 'viewer');
      const viewerCookie = await signIn(ctx.app, viewer.email);
      expect((await save(viewerCookie)).statusCode).toBe(403);
    });

    it('never shows one account’s board settings to another', async () => {
      const first = await connected();
      expect((await save(first.cookie)).statusCode).toBe(200);
      const second = await connected();

      expect((await call(second.cookie, { method: 'GET', url: SETTINGS })).json()).toEqual({
        boardSettings: null,
      });
      expect((await save(second.cookie, { teamId: 12 })).statusCode).toBe(200);
      const firstStill = await call(first.cookie, { method: 'GET', url: SETTINGS });
      expect(firstStill.json()).toMatchObject({ boardSettings: { team: null } });
    });

    it('drops the board settings with the connection, and when the connection moves to another tenant', async () => {
      const { cookie } = await connected();
      expect((await save(cookie)).statusCode).toBe(200);
      // Saving the same tenant again keeps them.
      await call(cookie, {
        method: 'PUT',
        url: '/api/v1/connectwise/connection',
        payload: demoInput(sandbox),
      });
      expect((await call(cookie, { method: 'GET', url: SETTINGS })).json()).not.toEqual({
        boardSettings: null,
      });

      const other = await startSandbox();
      try {
        const moved = await call(cookie, {
          method: 'PUT',
          url: '/api/v1/connectwise/connection',
          payload: demoInput(other),
        });
        expect(moved.statusCode).toBe(200);
        expect((await call(cookie, { method: 'GET', url: SETTINGS })).json()).toEqual({
          boardSettings: null,
        });
      } finally {
        await other.close();
      }

      // The connection now points at a ConnectWise that is gone.
      const unreachable = await save(cookie);
      expect(unreachable.statusCode).toBe(503);
      expect(unreachable.json<ErrorAnswer>().error.message).toMatch(/could not be reached/);
      await call(cookie, {
        method: 'PUT',
        url: '/api/v1/connectwise/connection',
        payload: demoInput(sandbox),
      });
      expect((await save(cookie)).statusCode).toBe(200);
      await call(cookie, { method: 'DELETE', url: '/api/v1/connectwise/connection' });
      expect((await call(cookie, { method: 'GET', url: SETTINGS })).json()).toEqual({
        boardSettings: null,
      });
    });

    it('answers 409 with what to do when the saved keys were revoked', async () => {
      const { cookie } = await connected();
      sandbox.state.revokeApiKey('DemoPublicKey001');
      try {
        const res = await call(cookie, { method: 'GET', url: '/api/v1/connectwise/boards' });
        expect(res.statusCode).toBe(409);
        expect(res.json<ErrorAnswer>().error.message).toMatch(/refused the saved API keys/);
      } finally {
        sandbox.state.addApiKey('bridge-api', {
          publicKey: 'DemoPublicKey001',
          privateKey: 'DemoPrivateKey01',
        });
      }
    });
  },
  { loginRateLimit: { max: 1_000, windowMs: 60_000 } },
);
