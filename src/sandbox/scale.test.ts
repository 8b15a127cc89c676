// Scale: a 20,000-company, 100,000-ticket tenant loads and answers the integration's typical
// queries over HTTP with the same rows a full scan finds. Speed is measured by
// bench/sandbox-query.ts, not asserted here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseListParams, QueryParams } from './http/list-params.js';
import { runList } from './http/run-list.js';
import { generateLargeFixture, type RunningSandbox } from './index.js';
import { CwTestClient, startDemoSandbox } from './test-support.js';

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeAll(async () => {
  sandbox = await startDemoSandbox({
    fixture: generateLargeFixture({ companies: 20_000, tickets: 100_000 }),
  });
  cw = new CwTestClient(sandbox);
}, 120_000);
afterAll(() => sandbox.close());

function scan(path: string, conditions: string): number[] {
  const table = path === '/company/companies' ? sandbox.state.companies : sandbox.state.tickets;
  const query = new QueryParams(new URLSearchParams({ conditions, pageSize: '1000' }));
  const params = parseListParams(query, {}, sandbox.state.behaviour);
  return runList<{ id: number }>(table, params, () => true, false).rows.map((r) => r.id);
}

describe('a 20,000-company, 100,000-ticket tenant', () => {
  it('holds every record', () => {
    expect(sandbox.state.companies.size).toBe(20_000);
    expect(sandbox.state.tickets.size).toBe(100_000);
  });

  const sample = () => sandbox.state.tickets.get(30_000 + 4_321)!;
  const cases: [string, string, () => string][] = [
    [
      'open tickets of one company',
      '/service/tickets',
      () => `company/id = ${sample().company.id} and closedFlag = false`,
    ],
    [
      'one externalXRef',
      '/service/tickets',
      () => `externalXRef = "${sample().externalXRef ?? 'none'}"`,
    ],
    ['a list of ids', '/service/tickets', () => 'id in (30001, 30500, 99999, 129999)'],
    ['a company by identifier', '/company/companies', () => 'identifier = "C01234"'],
    [
      'an active company by identifier',
      '/company/companies',
      () => 'identifier = "c01234" and deletedFlag = false',
    ],
    [
      'a board and status',
      '/service/tickets',
      () =>
        `board/id = 21 and status/id = ${sample().status.id} and company/id = ${sample().company.id}`,
    ],
  ];

  it.each(cases)(
    'answers %s over HTTP with the rows a full scan finds',
    async (_name, path, conditions) => {
      const text = conditions();
      const res = await cw.get<{ id: number }[]>(
        `${path}?pageSize=1000&conditions=${encodeURIComponent(text)}`,
      );
      expect(res.status).toBe(200);
      const expected = scan(path, text);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.map((r) => r.id)).toEqual(expected);
    },
  );

  it('creates and finds a new ticket among them by externalXRef', async () => {
    const created = await cw.post<{ id: number }>('/service/tickets', {
      summary: 'scale check',
      company: { identifier: 'C00010' },
      externalXRef: 'scale:new:1',
    });
    const res = await cw.get<{ id: number }[]>(
      `/service/tickets?conditions=${encodeURIComponent('externalXRef = "scale:new:1"')}`,
    );
    expect(res.body.map((r) => r.id)).toEqual([created.body.id]);
  });
});
