// Paging through thousands of records of a real sandbox over HTTP: navigable and forward-only,
// following only the Link header, one page in flight at a time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { RunningSandbox } from '../../sandbox/index.js';
import { DEMO_CREDENTIALS, generateLargeFixture, startSandbox } from '../../sandbox/index.js';
import { where } from '../conditions/index.js';
import type { Company, Ticket } from '../models.js';
import type { ManageClientEvent } from './events.js';
import { ManageClient } from './manage-client.js';

const COMPANIES = 3_000;
const TICKETS = 2_500;

let sandbox: RunningSandbox;
let client: ManageClient;
let events: ManageClientEvent[];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    fixture: generateLargeFixture({ companies: COMPANIES, tickets: TICKETS }),
  });
  client = new ManageClient({
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    ...DEMO_CREDENTIALS.bridge,
    clientId: DEMO_CREDENTIALS.clientId,
    onEvent: (event) => events.push(event),
  });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await client.codebase();
  events = [];
  sandbox.state.journal.clear();
});

/** The page-size parameter and paging header of every list request the sandbox received. */
function listRequests(endpoint: string): URLSearchParams[] {
  return sandbox.state.journal
    .entries(endpoint)
    .map((entry) => new URL(entry.url, 'http://sandbox').searchParams);
}

describe('navigable paging', () => {
  it('reads every company in pages of 1,000 by following rel="next"', async () => {
    const total = await client.companies.count();
    expect(total).toBe(COMPANIES);

    const ids = new Set<number>();
    let pages = 0;
    for await (const page of client.companies.list().pages()) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(1_000);
      for (const company of page) ids.add(company.id);
    }
    expect(ids.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 1_000));

    const requests = listRequests('listCompanies');
    expect(requests.map((q) => q.get('pageSize'))).toEqual(['1000', '1000', '1000']);
    expect(requests.map((q) => q.get('page'))).toEqual([null, '2', '3']);
  });

  it('keeps conditions and order on every page', async () => {
    const conditions = where.eq('status/name', 'Active');
    const expected = await client.companies.count({ conditions });
    const seen: Company[] = [];
    for await (const company of client.companies.list({
      conditions,
      orderBy: 'identifier desc',
      pageSize: 400,
    })) {
      seen.push(company);
    }
    expect(seen).toHaveLength(expected);
    expect(seen.every((c) => c.status?.name === 'Active')).toBe(true);
    const identifiers = seen.map((c) => c.identifier);
    expect(identifiers).toEqual([...identifiers].sort().reverse());
    expect(listRequests('listCompanies').every((q) => q.get('conditions') === conditions)).toBe(
      true,
    );
  });

  it('asks for the next page only when the previous one is used up', async () => {
    let read = 0;
    for await (const company of client.companies.list({ pageSize: 250 })) {
      expect(company.id).toBeGreaterThan(0);
      if (++read === 251) break;
    }
    expect(listRequests('listCompanies')).toHaveLength(2);
  });

  it('reads one page at a time with listPage and says where the next starts', async () => {
    const first = await client.companies.listPage({ pageSize: 100 });
    expect(first.records).toHaveLength(100);
    expect(first).toMatchObject({ hasNext: true, nextPage: 2 });
    const last = await client.companies.listPage({ pageSize: 100, page: COMPANIES / 100 });
    expect(last.records).toHaveLength(100);
    expect(last.hasNext).toBe(false);
    expect(last.records[0]?.id).not.toBe(first.records[0]?.id);
  });
});

describe('forward-only paging', () => {
  it('reads every ticket by id with pagination-type: forward-only', async () => {
    const total = await client.tickets.count();
    expect(total).toBe(TICKETS);

    let previous = 0;
    let seen = 0;
    for await (const ticket of client.tickets.list({ paging: 'forward-only' })) {
      expect(ticket.id).toBeGreaterThan(previous);
      previous = ticket.id;
      seen++;
    }
    expect(seen).toBe(total);
    const requests = listRequests('listTickets');
    expect(requests).toHaveLength(Math.ceil(total / 1_000));
    expect(requests[0]?.get('pageId')).toBeNull();
    expect(requests.slice(1).every((q) => Number(q.get('pageId')) > 0)).toBe(true);
  });

  it('ends cleanly when the final page still links onwards', async () => {
    const saved = sandbox.state.behaviour.forwardOnlyFinalLink;
    sandbox.state.setBehaviour({ forwardOnlyFinalLink: 'always' });
    try {
      const conditions = where.eq('status/name', 'Active');
      const companies = await client.companies
        .list({ conditions, paging: 'forward-only', pageSize: 500 })
        .toArray();
      expect(companies).toHaveLength(await client.companies.count({ conditions }));
    } finally {
      sandbox.state.setBehaviour({ forwardOnlyFinalLink: saved });
    }
  });

  it('is not disturbed by records added during the walk', async () => {
    const seen: Ticket[] = [];
    let added = false;
    for await (const ticket of client.tickets.list({ paging: 'forward-only', pageSize: 500 })) {
      seen.push(ticket);
      if (!added) {
        added = true;
        await client.tickets.create({
          summary: 'Added mid-walk',
          company: { identifier: 'C00002' },
        });
      }
    }
    expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
    expect(seen.at(-1)?.summary).toBe('Added mid-walk');
  });

  it('reads a forward-only page with listPage and hands back the next pageId', async () => {
    const first = await client.tickets.listPage({ paging: 'forward-only', pageSize: 50 });
    expect(first.records).toHaveLength(50);
    expect(first.nextPageId).toBe(first.records.at(-1)?.id);
    const second = await client.tickets.listPage({
      paging: 'forward-only',
      pageSize: 50,
      pageId: first.nextPageId!,
    });
    expect(second.records[0]!.id).toBeGreaterThan(first.records.at(-1)!.id);
  });
});

describe('events while paging', () => {
  it('reports each page request without its query string', async () => {
    await client.companies
      .list({ conditions: where.eq('identifier', 'C00001'), pageSize: 10 })
      .toArray();
    expect(events).toEqual([
      { type: 'request', method: 'GET', path: '/company/companies', attempt: 1 },
      expect.objectContaining({
        type: 'response',
        method: 'GET',
        path: '/company/companies',
        status: 200,
      }),
    ]);
  });
});
