import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectToSandbox } from '../../companies/testing.js';
import type { ConnectionDeps } from '../../connection/index.js';
import { saveRulesOverride } from '../../rules/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import type { DoctorReportView } from '../contract/doctor.js';
import { describeAppEachDialect, seedAccount, signIn, type TestApp } from '../testing.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** A connected account with `names` registered, and an admin's cookie. */
async function setUp(
  ctx: TestApp,
  target: RunningSandbox | null,
  names: readonly string[],
): Promise<{ accountId: string; cookie: string }> {
  const { account, user } = await seedAccount(ctx.storage);
  const deps: ConnectionDeps = {
    db: ctx.storage.db,
    secretBox: ctx.deps.secretBox,
    config: ctx.deps.config,
  };
  if (target) await connectToSandbox(deps, account.id, target);
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
  return { accountId: account.id, cookie };
}

async function doctor(ctx: TestApp, cookie: string): Promise<DoctorReportView> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/doctor', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DoctorReportView>();
}

const codesOf = (report: DoctorReportView, name: string) =>
  report.companies.find((c) => c.name === name)?.problems.map((p) => `${p.severity}:${p.code}`);
const sectionOf = (report: DoctorReportView, name: string) =>
  report.sections.find((s) => s.name === name);

describeAppEachDialect(
  'doctor API',
  (ctx) => {
    it('reports a healthy account as ok, with each company ready', async () => {
      const { cookie } = await setUp(ctx, sandbox, ['ACME', 'WAYNE']);
      const report = await doctor(ctx, cookie);
      expect(report.ok).toBe(true);
      expect(report.sections.map((s) => `${s.name}:${s.status}`)).toEqual([
        'connection:ok',
        'board:ok',
        'sync:ok',
        'rules:ok',
      ]);
      expect(report.summary).toMatchObject({ companies: 2, ready: 2, errors: 0 });
      expect(report.companies.find((c) => c.name === 'ACME')).toMatchObject({
        ready: true,
        mapping: 'exact',
        cwCompany: { id: 250, identifier: 'ACME' },
        contact: { id: 1001, name: 'Wile Coyote' },
        problems: [],
      });
    });

    it('names per company everything that would stop a ticket', async () => {
      const { cookie } = await setUp(ctx, sandbox, [
        'ACME',
        'Acme Corp',
        'Initech',
        'Umbrella',
        'Cyberdyne',
      ]);
      const off = await ctx.app.inject({
        method: 'PATCH',
        url: '/api/v1/companies/Umbrella',
        headers: { cookie },
        payload: { ticketingEnabled: false },
      });
      expect(off.statusCode).toBe(200);

      const report = await doctor(ctx, cookie);
      expect(report.ok).toBe(false);
      expect(codesOf(report, 'ACME')).toEqual([]);
      expect(codesOf(report, 'Acme Corp')).toEqual(['error:unmatched']);
      expect(codesOf(report, 'Initech')).toEqual(['error:inactive']);
      expect(codesOf(report, 'Cyberdyne')).toEqual(['error:saving_disallowed']);
      // Switched off on purpose: reported, but it does not fail the doctor.
      expect(codesOf(report, 'Umbrella')).toEqual(['info:no_contact', 'info:ticketing_disabled']);
      expect(report.summary).toMatchObject({ companies: 5, ready: 1, errors: 3 });
    });

    it('finds a board without a default team and a status gone from the board', async () => {
      const own = await startSandbox();
      try {
        const { cookie } = await setUp(ctx, own, ['ACME']);
        own.state.setBoardDefaultTeam('Backup Alerts', null);
        own.state.deleteBoardStatus('Backup Alerts', 'Closed');
        const report = await doctor(ctx, cookie);
        expect(report.ok).toBe(false);
        const board = sectionOf(report, 'board');
        expect(board?.status).toBe('problems');
        expect(board?.problems.map((p) => p.code).sort()).toEqual([
          'board_without_default_team',
          'closed_status_not_found',
        ]);
        expect(board?.problems.find((p) => p.code === 'board_without_default_team')?.fix).toContain(
          'Default',
        );
      } finally {
        await own.close();
      }
    });

    it('finds a permission removed from the API member after setup', async () => {
      const own = await startSandbox();
      try {
        const { cookie } = await setUp(ctx, own, ['ACME']);
        own.state.setRoleLevel('psabridge Integration', 'serviceTickets', 'edit', 'None');
        const report = await doctor(ctx, cookie);
        expect(report.ok).toBe(false);
        const connection = sectionOf(report, 'connection');
        expect(connection?.problems.map((p) => p.code)).toContain('permission_missing');
        expect(JSON.stringify(connection)).toContain('Service Tickets');
      } finally {
        await own.close();
      }
    });

    it('warns when a summary template renders more than 100 characters', async () => {
      const { accountId, cookie } = await setUp(ctx, sandbox, ['ACME']);
      await saveRulesOverride(ctx.storage.db, accountId, {
        events: {
          'backup.failed': {
            summaryTemplate:
              '{{company}}: the nightly backup of {{device}} failed again and needs a technician to look at it today ({{jobName}}, {{errorCode}})',
          },
        },
      });
      const report = await doctor(ctx, cookie);
      expect(report.ok).toBe(true);
      const problems = report.companies.find((c) => c.name === 'ACME')?.problems ?? [];
      expect(problems.map((p) => `${p.severity}:${p.code}`)).toEqual(['warning:summary_too_long']);
      expect(problems[0]?.message).toContain('backup.failed');
      expect(report.summary.warnings).toBe(1);
    });

    it('says what to set up first when nothing is configured', async () => {
      const { cookie } = await setUp(ctx, null, ['ACME']);
      const report = await doctor(ctx, cookie);
      expect(report.ok).toBe(false);
      expect(sectionOf(report, 'connection')?.problems[0]?.code).toBe('connection_not_configured');
      expect(sectionOf(report, 'board')?.problems[0]?.code).toBe('board_not_configured');
      expect(sectionOf(report, 'sync')?.status).toBe('skipped');
      expect(codesOf(report, 'ACME')).toEqual(['error:not_synced']);
    });

    it('creates a test ticket in ConnectWise and closes it', async () => {
      const { cookie } = await setUp(ctx, sandbox, ['ACME']);
      await doctor(ctx, cookie);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/doctor/test-ticket',
        headers: { cookie },
        payload: { company: 'ACME' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const result = res.json<{
        externalXRef: string;
        created: { ticketId: number; status: string };
        closed: { ticketId: number; status: string; closedFlag: boolean };
        link: string;
      }>();
      expect(result.externalXRef).toMatch(/^psab-test:[0-9a-f]{16}$/);
      expect(result.created).toEqual({ ticketId: expect.any(Number) as unknown, status: 'New' });
      expect(result.closed).toEqual({
        ticketId: result.created.ticketId,
        status: 'Closed',
        closedFlag: true,
      });
      expect(result.link).toBe(
        `${sandbox.url}/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${result.created.ticketId}&companyName=psademo`,
      );

      const [ticket, ...others] = sandbox.state.listTickets({ externalXRef: result.externalXRef });
      expect(others).toHaveLength(0);
      expect(ticket).toMatchObject({
        id: result.created.ticketId,
        summary: 'psabridge test ticket',
        board: { name: 'Backup Alerts' },
        company: { id: 250 },
        contact: { id: 1001 },
        status: { name: 'Closed' },
        closedFlag: true,
      });
    });

    it('refuses a test ticket for a company that cannot take one, writing nothing', async () => {
      const { cookie } = await setUp(ctx, sandbox, ['Umbrella']);
      await doctor(ctx, cookie);
      const before = sandbox.state.listTickets().length;
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/doctor/test-ticket',
        headers: { cookie },
        payload: { company: 'Umbrella' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ error: { message: string } }>().error.message).toContain('has no contacts');
      expect(sandbox.state.listTickets()).toHaveLength(before);

      const unknown = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/doctor/test-ticket',
        headers: { cookie },
        payload: { company: 'Nobody' },
      });
      expect(unknown.statusCode).toBe(404);
    });
  },
  { loginRateLimit: { max: 10_000, windowMs: 60_000 } },
);
