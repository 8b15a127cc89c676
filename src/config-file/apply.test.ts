import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAccounts } from '../accounts/accounts.js';
import { authenticateUser } from '../accounts/users.js';
import { listReadiness } from '../companies/readiness.js';
import type { ConnectionDeps } from '../connection/index.js';
import { parseRulesOverride } from '../domain/rules.js';
import { getRules } from '../rules/index.js';
import { resolveIngestToken } from '../ingest/tokens.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { SecretBox } from '../secrets/secret-box.js';
import { describeEachDialect } from '../storage/testing.js';
import { applyConfigFile } from './apply.js';
import { ConfigApplyError, ConfigFileError, ConfigSecretError } from './errors.js';
import { parseConfigFile } from './load.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const ENV = {
  CW_PRIVATE_KEY: DEMO_CREDENTIALS.bridge.privateKey,
  ADMIN_PASSWORD: 'correct horse battery staple',
  INGEST_TOKEN: 'config-ingest-token-0123456789abcdef0123',
};

/** The README's example, pointed at the sandbox, for an account named `account`. */
function exampleFile(account: string): Record<string, unknown> {
  return {
    version: 1,
    account: { name: account },
    admin: {
      email: `admin-${randomBytes(4).toString('hex')}@example.com`,
      displayName: 'MSP Admin',
      passwordEnv: 'ADMIN_PASSWORD',
    },
    connectwise: {
      site: sandbox.url,
      companyId: DEMO_CREDENTIALS.companyId,
      publicKey: DEMO_CREDENTIALS.bridge.publicKey,
      privateKeyEnv: 'CW_PRIVATE_KEY',
    },
    board: {
      board: 'Backup Alerts',
      type: 'Backup',
      subtype: 'Failed',
      item: 'Job',
      newStatus: 'New',
      closedStatus: 'Closed',
      team: 'Backup Team',
      priorities: {
        critical: 'Priority 1 - Critical',
        high: 'Priority 2 - High',
        medium: 'Priority 3 - Normal',
        low: 'Priority 4 - Low',
      },
    },
    rules: { events: { 'backup.warning': { ticket: false } } },
    companies: [
      { name: 'ACME' },
      { name: 'Acme Corp', cwIdentifier: 'ACME' },
      { name: 'Globex Corp', cwCompanyId: 251, ticketing: false },
      { name: 'Initech' },
    ],
    ingestToken: { name: 'backup-console', tokenEnv: 'INGEST_TOKEN' },
  };
}

describeEachDialect('configuration file', (ctx) => {
  const deps = (): ConnectionDeps => ({
    db: ctx.db,
    secretBox: new SecretBox({ current: new Uint8Array(32).fill(7) }),
    config: { clientId: DEMO_CREDENTIALS.clientId },
  });

  /** Every row of the account in the tables configuration touches. */
  async function snapshot(accountId: string): Promise<unknown> {
    const { db } = ctx;
    return {
      accounts: await db.selectFrom('accounts').selectAll().where('id', '=', accountId).execute(),
      users: await db.selectFrom('users').selectAll().where('account_id', '=', accountId).execute(),
      connections: await db
        .selectFrom('cw_connections')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute(),
      board: await db
        .selectFrom('cw_board_settings')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute(),
      rules: await db.selectFrom('rules').selectAll().where('account_id', '=', accountId).execute(),
      companies: await db
        .selectFrom('companies')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('name')
        .execute(),
      tokens: await db
        .selectFrom('ingest_tokens')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute(),
      syncs: await db
        .selectFrom('cw_company_syncs')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute(),
    };
  }

  it('sets an account up as an administrator would, and a second apply changes nothing', async () => {
    const file = parseConfigFile(exampleFile(`Config MSP ${randomBytes(3).toString('hex')}`));
    const first = await applyConfigFile(deps(), file, ENV);
    expect(first.accountCreated).toBe(true);
    expect(first.changes).toEqual(
      expect.arrayContaining([
        'ConnectWise connection authenticated and saved',
        'service board "Backup Alerts" saved',
        'rules saved',
        '4 companies registered',
        'ingest token "backup-console" set',
      ]),
    );
    const before = await snapshot(first.accountId);

    const second = await applyConfigFile(deps(), file, ENV);
    expect(second).toEqual({ accountId: first.accountId, accountCreated: false, changes: [] });
    expect(await snapshot(first.accountId)).toEqual(before);

    // The state is the one the console would have made.
    const page = await listReadiness(ctx.db, first.accountId);
    const byName = new Map(page.companies.map((r) => [r.company.name, r]));
    expect(byName.get('ACME')).toMatchObject({
      ready: true,
      mapping: { state: 'exact', cwCompanyId: 250 },
    });
    expect(byName.get('Acme Corp')).toMatchObject({
      ready: true,
      mapping: { state: 'manual', cwCompanyId: 250 },
    });
    expect(byName.get('Globex Corp')?.company).toMatchObject({
      ticketingEnabled: false,
      cwCompanyId: 251,
    });
    expect(byName.get('Initech')?.problems.map((p) => p.code)).toEqual(['inactive']);
    expect(byName.get('ACME')?.company.registeredBy).toBe('config');
    expect((await getRules(ctx.db, first.accountId)).events['backup.warning'].ticket).toBe(false);
    expect(await resolveIngestToken(ctx.db, ENV.INGEST_TOKEN)).toMatchObject({
      accountId: first.accountId,
    });
    const admin = (file.admin?.email ?? '').toLowerCase();
    expect(await authenticateUser(ctx.db, admin, ENV.ADMIN_PASSWORD)).toMatchObject({
      role: 'admin',
    });
  });

  it('applies a change of the file, and only that change', async () => {
    const name = `Changing MSP ${randomBytes(3).toString('hex')}`;
    const original = exampleFile(name);
    const env = { ...ENV, INGEST_TOKEN: 'config-ingest-token-changing-0123456789abcdef' };
    const first = await applyConfigFile(deps(), parseConfigFile(original), env);
    const changed = {
      ...original,
      companies: [{ name: 'ACME', ticketing: false }],
    };
    const second = await applyConfigFile(deps(), parseConfigFile(changed), env);
    expect(second.changes).toEqual(['1 companies updated']);
    const page = await listReadiness(ctx.db, first.accountId);
    expect(page.companies.find((r) => r.company.name === 'ACME')?.company.ticketingEnabled).toBe(
      false,
    );
    // Companies the file no longer lists are left as they are (events register companies too).
    expect(page.companies).toHaveLength(4);
  });

  it('reports a missing secret by its JSON path and applies nothing', async () => {
    const name = `No Secret MSP ${randomBytes(3).toString('hex')}`;
    const file = parseConfigFile(exampleFile(name));
    const failing = applyConfigFile(deps(), file, {
      ADMIN_PASSWORD: ENV.ADMIN_PASSWORD,
      INGEST_TOKEN: '',
    });
    await expect(failing).rejects.toBeInstanceOf(ConfigSecretError);
    await expect(failing).rejects.toMatchObject({
      issues: [
        {
          path: 'connectwise.privateKeyEnv',
          message: expect.stringContaining('CW_PRIVATE_KEY is not set') as unknown,
        },
        {
          path: 'ingestToken.tokenEnv',
          message: expect.stringContaining('INGEST_TOKEN is empty') as unknown,
        },
      ],
    });
    expect((await listAccounts(ctx.db)).some((a) => a.name === name)).toBe(false);
  });

  it('names the JSON path of what ConnectWise or the synced companies refuse', async () => {
    const base = exampleFile(`Refused MSP ${randomBytes(3).toString('hex')}`);
    const badBoard = { ...base, board: { ...(base['board'] as object), newStatus: 'Brand New' } };
    await expect(applyConfigFile(deps(), parseConfigFile(badBoard), ENV)).rejects.toMatchObject({
      name: 'ConfigApplyError',
      issues: [
        { path: 'board.newStatus', message: expect.stringContaining('Brand New') as unknown },
      ],
    });

    const badMapping = {
      ...base,
      companies: [{ name: 'Acme Corp', cwIdentifier: 'NoSuchCompany' }],
    };
    const failing = applyConfigFile(deps(), parseConfigFile(badMapping), ENV);
    await expect(failing).rejects.toBeInstanceOf(ConfigApplyError);
    await expect(failing).rejects.toMatchObject({
      issues: [
        {
          path: 'companies.0.cwIdentifier',
          message: expect.stringContaining('NoSuchCompany') as unknown,
        },
      ],
    });

    const badKeys = {
      ...base,
      connectwise: { ...(base['connectwise'] as object), publicKey: 'WrongPublic0001' },
    };
    await expect(applyConfigFile(deps(), parseConfigFile(badKeys), ENV)).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          path: expect.stringMatching(/^connectwise/) as unknown,
        }) as unknown,
      ],
    });
  });
});

it('validates a file with errors that name the JSON path', () => {
  const file = {
    account: { name: '' },
    connectwise: {
      site: 'na.myconnectwise.net',
      companyId: 'acme',
      publicKey: 'pub',
      privateKeyEnv: 'the key',
    },
    companies: [{ name: 'ACME' }, { name: 'ACME', cwCompanyId: 1, cwIdentifier: 'ACME' }],
    conectwise: {},
  };
  let error: unknown;
  try {
    parseConfigFile(file, 'psabridge.json');
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigFileError);
  const paths = (error as ConfigFileError).issues.map((issue) => issue.path);
  expect(paths).toEqual(
    expect.arrayContaining([
      'account.name',
      'connectwise.privateKeyEnv',
      'companies.1.name',
      'companies.1.cwIdentifier',
      '',
    ]),
  );
  expect((error as Error).message).toContain('psabridge.json');
});

it("the README's example is a valid file with valid rules", async () => {
  const readme = await readFile(new URL('./README.md', import.meta.url), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const file = parseConfigFile(JSON.parse(json), 'README.md');
  expect(file.companies?.map((c) => c.name)).toEqual(['ACME', 'Acme Corp', 'Globex', 'Initech']);
  expect(parseRulesOverride(file.rules)).toMatchObject({ ok: true });
});
