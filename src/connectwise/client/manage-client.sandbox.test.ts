// The client against the real Manage sandbox over HTTP on a free port: authentication, codebase
// discovery and moves, every error class, retries, and the outcome-unknown create.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { RunningSandbox, SandboxBehaviour } from '../../sandbox/index.js';
import { DEMO_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import { where } from '../conditions/index.js';
import {
  ManageApiError,
  ManageAuthenticationError,
  ManageClientIdError,
  ManageConnectionError,
  ManageNotFoundError,
  ManageOutcomeUnknownError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageTimeoutError,
  ManageUnavailableError,
  ManageValidationError,
  UnknownCompanyError,
} from './errors.js';
import type { ManageClientEvent } from './events.js';
import type { ManageClientOptions } from './manage-client.js';
import { ManageClient } from './manage-client.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.state.journal.clear();
});

/** A client of the demo tenant that records its events and its waits instead of sleeping. */
function demoClient(overrides: Partial<ManageClientOptions> = {}) {
  const events: ManageClientEvent[] = [];
  const waits: number[] = [];
  const client = new ManageClient({
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    ...DEMO_CREDENTIALS.bridge,
    clientId: DEMO_CREDENTIALS.clientId,
    onEvent: (event) => events.push(event),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  return { client, events, waits };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<ManageApiError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  }
  expect(outcome.error).toBeInstanceOf(ManageApiError);
  return outcome.error as ManageApiError;
}

/** Runs `body` with some behaviour switches flipped, then restores them. */
async function withBehaviour(
  partial: Partial<SandboxBehaviour>,
  body: () => Promise<void>,
): Promise<void> {
  const saved = { ...sandbox.state.behaviour };
  sandbox.state.setBehaviour(partial);
  try {
    await body();
  } finally {
    sandbox.state.setBehaviour(saved);
  }
}

describe('authentication', () => {
  it('authenticates with the API member keys and reads system info', async () => {
    const { client, events } = demoClient();
    const info = await client.systemInfo();
    expect(info.version).toMatch(/^v2025\.1/);
    expect(events).toContainEqual({ type: 'codebase', previous: undefined, codebase: 'v2025_1/' });
    expect(
      events.filter((e) => e.type === 'response').map((e) => e.type === 'response' && e.status),
    ).toEqual([200, 200]);
  });

  it('reports wrong keys as an authentication error that says what to check', async () => {
    const { client } = demoClient({ privateKey: 'WrongPrivateKey1' });
    const error = await failure(client.systemInfo());
    expect(error).toBeInstanceOf(ManageAuthenticationError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/public key, the private key and the company ID/);
    expect(error.message).not.toContain('WrongPrivateKey1');
  });

  it('refuses a company id in the wrong case (company ids are case-sensitive)', async () => {
    const error = await failure(demoClient({ companyId: 'PSADEMO' }).client.systemInfo());
    expect(error).toBeInstanceOf(ManageAuthenticationError);
    expect(error.message).toContain('"PSADEMO"');
  });

  it('reports a request without clientId as a clientId error', async () => {
    // The client always sends clientId; strip it on the way out to see the server's answer.
    const withoutClientId: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('clientId');
      return fetch(input, { ...init, headers });
    };
    const error = await failure(
      demoClient({ fetch: withoutClientId, codebase: 'v2025_1/' }).client.systemInfo(),
    );
    expect(error).toBeInstanceOf(ManageClientIdError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/clientId/);
  });

  it('reports an unregistered clientId as a clientId error', async () => {
    await withBehaviour({ clientIdPolicy: 'registered' }, async () => {
      const { client } = demoClient({ clientId: '00000000-0000-4000-8000-000000000000' });
      const error = await failure(client.companies.count());
      expect(error).toBeInstanceOf(ManageClientIdError);
      expect(error.message).not.toContain('00000000-0000-4000-8000-000000000000');
    });
  });
});

describe('codebase', () => {
  it('finds the codebase with the unauthenticated lookup', async () => {
    const { client } = demoClient();
    const info = await client.companyInfo();
    expect(info).toMatchObject({ Codebase: 'v2025_1/', CompanyID: 'psademo', IsCloud: 'True' });
    await expect(client.codebase()).resolves.toBe('v2025_1/');
  });

  it('says clearly when the site does not know the company id', async () => {
    const error = await failure(demoClient({ companyId: 'nosuchco' }).client.companyInfo());
    expect(error).toBeInstanceOf(UnknownCompanyError);
    expect(error.message).toContain('"nosuchco" was not found at');
    expect(error.message).toMatch(/case-sensitive/);
  });

  it.each(['notFound', 'gateway'] as const)(
    'follows the tenant to its new codebase after an upgrade (%s answer on the old one)',
    async (badCodebase) => {
      await withBehaviour({ badCodebase }, async () => {
        const { client, events } = demoClient();
        await expect(client.tickets.count()).resolves.toBeGreaterThan(0);

        sandbox.state.setCodebase('v2025_2/');
        try {
          const ticket = await client.tickets.create({
            summary: `Created across an upgrade (${badCodebase})`,
            company: { identifier: 'ACME' },
            externalXRef: `upgrade-${badCodebase}`,
          });
          expect(ticket.id).toBeGreaterThan(0);
          await expect(client.codebase()).resolves.toBe('v2025_2/');
          expect(events).toContainEqual({
            type: 'codebase',
            previous: 'v2025_1/',
            codebase: 'v2025_2/',
          });
          expect(await client.tickets.findByExternalXRef(`upgrade-${badCodebase}`)).toHaveLength(1);
        } finally {
          sandbox.state.setCodebase('v2025_1/');
        }
      });
    },
  );

  it('does not resend when the lookup finds the same codebase', async () => {
    const { client } = demoClient({ codebase: 'v2025_1/' });
    sandbox.faults.add({
      kind: 'status',
      status: 404,
      endpoint: 'getTicket',
      body: { code: 'ConnectWiseApi', message: 'The endpoint does not exist.' },
    });
    const error = await failure(client.tickets.get(30001));
    expect(error).toBeInstanceOf(ManageNotFoundError);
    expect((error as ManageNotFoundError).endpointMissing).toBe(true);
    const calls = sandbox.state.journal
      .entries()
      .map((e) => e.endpoint ?? e.url.split('/').slice(0, 3).join('/'));
    expect(calls).toEqual(['getTicket', '/login/companyinfo']);
  });
});

describe('calls', () => {
  it('reads companies, contacts, boards and their setup tables', async () => {
    const { client } = demoClient();
    const acme = await client.companies.findByIdentifier('ACME');
    expect(acme?.identifier).toBe('ACME');
    expect((await client.companies.get(acme!.id)).name).toBe(acme?.name);
    expect((await client.companies.statuses().toArray()).map((s) => s.name)).toContain('Active');

    const contacts = await client.contacts
      .list({ conditions: where.eq('company/id', acme!.id) })
      .toArray();
    expect(contacts.length).toBeGreaterThan(0);
    expect(await client.contacts.count({ conditions: where.eq('company/id', acme!.id) })).toBe(
      contacts.length,
    );
    expect((await client.contacts.get(contacts[0]!.id)).id).toBe(contacts[0]!.id);

    const [board] = await client.boards
      .list({ conditions: where.eq('name', 'Backup Alerts') })
      .toArray();
    expect((await client.boards.get(board!.id)).name).toBe('Backup Alerts');
    expect((await client.boards.statuses(board!.id).toArray()).map((s) => s.name)).toContain('New');
    expect((await client.boards.types(board!.id).toArray()).map((t) => t.name)).toContain('Backup');
    expect((await client.boards.subtypes(board!.id).toArray()).map((t) => t.name)).toContain(
      'Failed',
    );
    expect((await client.boards.items(board!.id).toArray()).map((t) => t.name)).toContain('Job');
    expect((await client.boards.teams(board!.id).toArray()).find((t) => t.defaultFlag)?.name).toBe(
      'Backup Team',
    );
    expect(await client.boards.typeSubTypeItemAssociations(board!.id).toArray()).not.toHaveLength(
      0,
    );
    expect((await client.priorities.list().toArray()).length).toBeGreaterThan(1);
  });

  it('creates, reads, patches, searches and notes a ticket', async () => {
    const { client } = demoClient();
    const created = await client.tickets.create({
      summary: 'Nightly backup failed on ACME-DC01',
      company: { identifier: 'ACME' },
      board: { name: 'Backup Alerts' },
      externalXRef: 'calls-test:ACME:dc01',
      initialDescription: 'VSS error',
    });
    expect(created).toMatchObject({
      summary: 'Nightly backup failed on ACME-DC01',
      externalXRef: 'calls-test:ACME:dc01',
    });

    const patched = await client.tickets.patch(created.id, [
      { op: 'replace', path: 'summary', value: 'Renamed' },
    ]);
    expect(patched.summary).toBe('Renamed');
    expect((await client.tickets.get(created.id)).summary).toBe('Renamed');

    const note = await client.ticketNotes.create(created.id, {
      text: 'Still failing',
      internalAnalysisFlag: true,
    });
    expect(note.text).toBe('Still failing');
    const notes = await client.ticketNotes.list(created.id).toArray();
    expect(notes.map((n) => n.text)).toContain('Still failing');
    expect(await client.ticketNotes.count(created.id)).toBe(notes.length);

    const found = await client.tickets
      .search({ conditions: where.eq('externalXRef', 'calls-test:ACME:dc01') })
      .toArray();
    expect(found.map((t) => t.id)).toEqual([created.id]);
    expect(await client.tickets.count({ conditions: where.eq('id', created.id) })).toBe(1);
  });

  it('reads project tickets apart from service tickets', async () => {
    const { client } = demoClient();
    const [project] = await client.projectTickets.list().toArray();
    expect(project).toBeDefined();
    expect((await client.projectTickets.get(project!.id)).summary).toBe(project!.summary);
    expect(await client.projectTickets.count()).toBeGreaterThan(0);
    expect(await failure(client.tickets.get(project!.id))).toBeInstanceOf(ManageNotFoundError);
  });

  it('finds exactly the right company for identifiers full of quotes, backslashes and "and"', async () => {
    const hostile = [
      'Say "hi"',
      "O'Brien",
      'Back\\slash',
      'Smith and Co',
      `Mix "a" 'b' \\ and`,
      'Smith',
    ];
    for (const [i, identifier] of hostile.entries()) {
      sandbox.state.addCompany({ identifier, name: `Hostile ${i}` });
    }
    sandbox.state.addCompany({ identifier: 'Co', name: 'Decoy' });
    const { client } = demoClient();
    for (const [i, identifier] of hostile.entries()) {
      const company = await client.companies.findByIdentifier(identifier);
      expect(company?.identifier).toBe(identifier);
      expect(company?.name).toBe(`Hostile ${i}`);
      const listed = await client.companies
        .list({ conditions: where.eq('identifier', identifier) })
        .toArray();
      expect(listed.map((c) => c.identifier)).toEqual([identifier]);
    }
    expect(await client.companies.findByIdentifier('Smith" or identifier = "Co')).toBeUndefined();
  });

  it('prefers the live company over a deleted one with the same identifier', async () => {
    const company = await demoClient().client.companies.findByIdentifier('Globex');
    expect(company).toMatchObject({ identifier: 'Globex', deletedFlag: false });
  });
});

describe('errors', () => {
  it('names the refused call and the missing permission on a 403', async () => {
    const { client } = demoClient({ ...DEMO_CREDENTIALS.limited });
    const [ticket] = await client.tickets.list({ pageSize: 1 }).toArray();

    const edit = await failure(
      client.tickets.patch(ticket!.id, [{ op: 'replace', path: 'summary', value: 'x' }]),
    );
    expect(edit).toBeInstanceOf(ManagePermissionError);
    expect(edit.message).toContain(`PATCH /service/tickets/${ticket!.id}`);
    expect(edit.message).toContain('Service Desk › Service Tickets › Edit Level: All');
    expect((edit as ManagePermissionError).permission).toMatchObject({
      fn: 'serviceTickets',
      action: 'edit',
    });

    const boards = await failure(client.boards.list().toArray());
    expect(boards).toBeInstanceOf(ManagePermissionError);
    expect(boards.message).toContain('GET /service/boards');
    expect(boards.message).toContain('System › Table Setup');
  });

  it('reports a missing record as not found', async () => {
    const error = await failure(demoClient().client.tickets.get(987654));
    expect(error).toBeInstanceOf(ManageNotFoundError);
    expect(error).toMatchObject({
      status: 404,
      method: 'GET',
      path: '/service/tickets/987654',
      endpointMissing: false,
    });
  });

  it('reports a refused create with its field errors and does not resend it', async () => {
    const { client } = demoClient();
    const error = await failure(
      client.tickets.create({ summary: 'x'.repeat(101), company: { identifier: 'ACME' } }),
    );
    expect(error).toBeInstanceOf(ManageValidationError);
    expect((error as ManageValidationError).fieldErrors.map((f) => f.field)).toContain('summary');
    expect(sandbox.state.journal.entries('createTicket')).toHaveLength(1);
  });

  it('reports a malformed filter as a validation error', async () => {
    const error = await failure(
      demoClient().client.companies.count({ conditions: 'identifier = = 3' }),
    );
    expect(error).toBeInstanceOf(ManageValidationError);
  });

  it("gives up on a 503 that lasts, after the policy's attempts", async () => {
    sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'listCompanies' });
    const { client, waits } = demoClient({ retry: { maxAttempts: 3 } });
    const error = await failure(client.companies.list().toArray());
    expect(error).toBeInstanceOf(ManageUnavailableError);
    expect(waits).toHaveLength(2);
    expect(sandbox.state.journal.entries('listCompanies')).toHaveLength(3);
  });

  it('reports a request that gets no answer as a timeout', async () => {
    sandbox.faults.add({ kind: 'timeout', endpoint: 'getCompany' });
    const { client, events } = demoClient({ timeoutMs: 200, retry: { maxAttempts: 2 } });
    const error = await failure(client.companies.get(250));
    expect(error).toBeInstanceOf(ManageTimeoutError);
    expect(error.message).toMatch(/within 200 ms/);
    expect(events.filter((e) => e.type === 'failure')).toEqual([
      expect.objectContaining({ attempt: 1, error: 'ManageTimeoutError' }),
      expect.objectContaining({ attempt: 2, error: 'ManageTimeoutError' }),
    ]);
  });

  it('reports a connection reset on a read as a connection error', async () => {
    sandbox.faults.add({ kind: 'reset', endpoint: 'getCompany' });
    const error = await failure(
      demoClient({ retry: { maxAttempts: 2 } }).client.companies.get(250),
    );
    expect(error).toBeInstanceOf(ManageConnectionError);
    expect(error).toMatchObject({ kind: 'reset' });
  });

  it('reports a 429 that lasts as rate limited, with Retry-After', async () => {
    sandbox.faults.add({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
      endpoint: 'countCompanies',
    });
    const { client, waits } = demoClient({ retry: { maxAttempts: 2 } });
    const error = await failure(client.companies.count());
    expect(error).toBeInstanceOf(ManageRateLimitedError);
    expect((error as ManageRateLimitedError).retryAfterMs).toBe(7_000);
    expect(waits).toEqual([7_000]);
  });
});

describe('retries', () => {
  it('retries a read through passing 5xx answers with growing backoff', async () => {
    sandbox.faults.add({ kind: 'status', status: 502, endpoint: 'getCompany', times: 2 });
    const { client, events, waits } = demoClient({ random: () => 0.999 });
    expect((await client.companies.get(250)).identifier).toBe('ACME');
    expect(waits).toEqual([249, 499]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      {
        type: 'retry',
        method: 'GET',
        path: '/company/companies/250',
        attempt: 1,
        delayMs: 249,
        reason: 'HTTP 502',
      },
      {
        type: 'retry',
        method: 'GET',
        path: '/company/companies/250',
        attempt: 2,
        delayMs: 499,
        reason: 'HTTP 502',
      },
    ]);
  });

  it('waits Retry-After on a 429 and then creates the ticket exactly once', async () => {
    sandbox.faults.add({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
      endpoint: 'createTicket',
      times: 1,
    });
    const { client, waits } = demoClient({ random: () => 0.999 });
    const ticket = await client.tickets.create({
      summary: 'Throttled create',
      company: { identifier: 'ACME' },
      externalXRef: 'retry-429-create',
    });
    expect(waits).toEqual([2_000]);
    expect(sandbox.state.journal.entries('createTicket').map((e) => e.status)).toEqual([429, 201]);
    expect((await client.tickets.findByExternalXRef('retry-429-create')).map((t) => t.id)).toEqual([
      ticket.id,
    ]);
  });

  it('retries an idempotent patch through a timeout', async () => {
    const { client, events } = demoClient();
    const [ticket] = await client.tickets.list({ pageSize: 1 }).toArray();
    sandbox.faults.add({ kind: 'timeout', endpoint: 'patchTicket', times: 1 });
    const patched = await client.tickets.patch(
      ticket!.id,
      [{ op: 'replace', path: 'summary', value: 'Patched twice' }],
      { timeoutMs: 1_000 },
    );
    expect(patched.summary).toBe('Patched twice');
    expect(events.filter((e) => e.type === 'request' && e.method === 'PATCH')).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry', method: 'PATCH', reason: 'timeout' }),
    );
  });

  it('does not resend a create that got a 5xx', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'createTicket', times: 1 });
    const { client, waits } = demoClient();
    const error = await failure(
      client.tickets.create({ summary: 'x', company: { identifier: 'ACME' } }),
    );
    expect(error).toBeInstanceOf(ManageOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(ManageUnavailableError);
    expect(waits).toEqual([]);
    expect(sandbox.state.journal.entries('createTicket')).toHaveLength(1);
  });
});

describe('a create whose answer is lost', () => {
  it('is reported as outcome-unknown and found exactly once by its externalXRef', async () => {
    sandbox.faults.add({ kind: 'dropAfterCommit', endpoint: 'createTicket', times: 1 });
    const { client } = demoClient();
    const externalXRef = 'psabridge:ACME:dev-42:backup.failed';
    const error = await failure(
      client.tickets.create({
        summary: 'Backup failed on ACME-FS01',
        company: { identifier: 'ACME' },
        externalXRef,
      }),
    );

    expect(error).toBeInstanceOf(ManageOutcomeUnknownError);
    expect(error.message).toMatch(/may or may not have been applied.*externalXRef/);
    expect(error.cause).toBeInstanceOf(ManageConnectionError);
    expect(sandbox.state.journal.entries('createTicket')).toHaveLength(1);

    const tickets = await client.tickets.findByExternalXRef(externalXRef);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ summary: 'Backup failed on ACME-FS01', externalXRef });
  });

  it('is outcome-unknown on a timeout too, and the ticket exists once', async () => {
    // The sandbox commits the create after the delay, when the client has already given up.
    sandbox.faults.add({ kind: 'latency', latencyMs: 400, endpoint: 'createTicket', times: 1 });
    const { client } = demoClient({ timeoutMs: 150 });
    const externalXRef = 'psabridge:ACME:dev-43:backup.failed';
    const error = await failure(
      client.tickets.create({
        summary: 'Slow create',
        company: { identifier: 'ACME' },
        externalXRef,
      }),
    );
    expect(error).toBeInstanceOf(ManageOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(ManageTimeoutError);
    await expect
      .poll(() => client.tickets.findByExternalXRef(externalXRef).then((t) => t.length))
      .toBe(1);
  });
});
