// Reference §10 "Lists & filters", one group per checklist item.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { generateLargeFixture, type RunningSandbox } from './index.js';
import { type CwResponse, CwTestClient, startDemoSandbox } from './test-support.js';

type Row = Record<string, unknown> & { id: number };

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeAll(async () => {
  // 60 companies and 130 tickets: enough rows for several pages of every size used below.
  sandbox = await startDemoSandbox({
    fixture: generateLargeFixture({ companies: 60, tickets: 130, seed: 7 }),
  });
  cw = new CwTestClient(sandbox, 'admin');
});
afterAll(() => sandbox.close());
afterEach(() =>
  sandbox.state.setBehaviour({
    pageSizeAboveMax: 'clamp',
    likeWildcards: true,
    forwardOnlyFinalLink: 'omit',
  }),
);

const q = (conditions: string) =>
  `/service/tickets?pageSize=1000&conditions=${encodeURIComponent(conditions)}`;
const ids = (rows: Row[]) => rows.map((r) => r.id);
const allTickets = () => [...sandbox.state.tickets.values()];

describe('list shape', () => {
  it('answers a bare JSON array, never an envelope', async () => {
    const res = await cw.get<Row[]>('/company/companies');
    expect(Array.isArray(res.body)).toBe(true);
  });
});

describe('page and pageSize', () => {
  it('defaults to page 1 of 25, in id order', async () => {
    const res = await cw.get<Row[]>('/service/tickets');
    expect(ids(res.body)).toEqual(ids(allTickets() as unknown as Row[]).slice(0, 25));
  });

  it('pages are 1-based slices of the id order', async () => {
    const res = await cw.get<Row[]>('/service/tickets?page=3&pageSize=10');
    expect(ids(res.body)).toEqual(
      allTickets()
        .slice(20, 30)
        .map((t) => t.id),
    );
  });

  it('clamps a pageSize above 1,000 by default', async () => {
    const res = await cw.get<Row[]>('/service/tickets?pageSize=5000');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(130);
  });

  it('refuses a pageSize above 1,000 when switched to reject', async () => {
    sandbox.state.setBehaviour({ pageSizeAboveMax: 'reject' });
    const res = await cw.get('/service/tickets?pageSize=1001');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'InvalidObject' });
  });

  it('reads parameter names ignoring case', async () => {
    const res = await cw.get<Row[]>('/service/tickets?PageSize=3&PAGE=2');
    expect(ids(res.body)).toEqual(
      allTickets()
        .slice(3, 6)
        .map((t) => t.id),
    );
  });
});

describe('Link header', () => {
  const rels = (link: string | null) =>
    Object.fromEntries(
      (link ?? '')
        .split(', ')
        .filter(Boolean)
        .map((part) => {
          const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
          return [rel!, new URL(url!)];
        }),
    );

  it('on page 1 carries next and last only', async () => {
    const res = await cw.get(
      `/service/tickets?pageSize=50&conditions=${encodeURIComponent('id > 0')}`,
    );
    const links = rels(res.headers.get('link'));
    expect(Object.keys(links)).toEqual(['next', 'last']);
    expect(links['next']!.searchParams.get('page')).toBe('2');
    expect(links['last']!.searchParams.get('page')).toBe('3');
    // Absolute, on the same codebase, keeping the other parameters.
    expect(links['next']!.href.startsWith(`${sandbox.url}/v2025_1/apis/3.0/service/tickets?`)).toBe(
      true,
    );
    expect(links['next']!.searchParams.get('conditions')).toBe('id > 0');
  });

  it('in the middle carries first, prev, next and last', async () => {
    const res = await cw.get('/service/tickets?pageSize=50&page=2');
    expect(Object.keys(rels(res.headers.get('link')))).toEqual(['first', 'prev', 'next', 'last']);
  });

  it('on the last page omits next', async () => {
    const links = rels((await cw.get('/service/tickets?pageSize=50&page=3')).headers.get('link'));
    expect(Object.keys(links)).toEqual(['first', 'prev']);
  });

  it('is absent when everything fits on one page', async () => {
    expect((await cw.get('/service/tickets?pageSize=1000')).headers.get('link')).toBeNull();
  });

  it('walks every row exactly once when followed', async () => {
    let url: string | undefined = `${cw.api}/service/tickets?pageSize=40`;
    const seen: number[] = [];
    while (url) {
      const res: CwResponse<Row[]> = await cw.get<Row[]>(url);
      seen.push(...ids(res.body));
      url = rels(res.headers.get('link'))['next']?.href;
    }
    expect(seen).toEqual(allTickets().map((t) => t.id));
  });
});

describe('count', () => {
  it('answers {count} for the same conditions and sends no total header', async () => {
    const open = allTickets().filter((t) => !t.closedFlag).length;
    const res = await cw.get(
      `/service/tickets/count?conditions=${encodeURIComponent('closedFlag = false')}`,
    );
    expect(res.body).toEqual({ count: open });
    const list = await cw.get('/service/tickets?conditions=closedFlag%20=%20false');
    expect([...list.headers.keys()].some((h) => /total|count/i.test(h))).toBe(false);
  });
});

describe('forward-only paging', () => {
  const fo = { 'pagination-type': 'forward-only' };

  it('treats pageId as id > pageId, orders by id, ignores page, and links the next pageId', async () => {
    const all = allTickets().map((t) => t.id);
    const res = await cw.get<Row[]>(`/service/tickets?pageSize=10&page=5&pageId=${all[14]}`, fo);
    expect(ids(res.body)).toEqual(all.slice(15, 25));
    const next = new URL(/^<([^>]+)>; rel="next"$/.exec(res.headers.get('link')!)![1]!);
    expect(next.searchParams.get('pageId')).toBe(String(all[24]));
  });

  it('walks to the end and sends no Link on the final page', async () => {
    let url: string | undefined = `${cw.api}/service/tickets?pageSize=50`;
    const seen: number[] = [];
    let pages = 0;
    while (url) {
      const res: CwResponse<Row[]> = await cw.get<Row[]>(url, fo);
      seen.push(...ids(res.body));
      pages++;
      url = /^<([^>]+)>/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(allTickets().map((t) => t.id));
  });

  it('can keep a next link on the final page (switch), leading to an empty page', async () => {
    sandbox.state.setBehaviour({ forwardOnlyFinalLink: 'always' });
    const last = allTickets().at(-1)!.id;
    const res = await cw.get<Row[]>(`/service/tickets?pageSize=1000`, fo);
    expect(res.headers.get('link')).toContain(`pageId=${last}`);
    const after = await cw.get<Row[]>(`/service/tickets?pageSize=1000&pageId=${last}`, fo);
    expect(after.body).toEqual([]);
  });

  it('refuses orderBy', async () => {
    const res = await cw.get('/service/tickets?orderBy=id%20desc', fo);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/Order By/);
  });
});

describe('POST /service/tickets/search', () => {
  it('takes FilterValues in the body and paging in the query', async () => {
    const company = allTickets()[0]!.company.id;
    const res = await cw.post<Row[]>('/service/tickets/search?pageSize=1000', {
      conditions: `company/id = ${company}`,
      orderBy: 'id desc',
    });
    const expected = allTickets()
      .filter((t) => t.company.id === company)
      .map((t) => t.id)
      .reverse();
    expect(ids(res.body)).toEqual(expected);
  });
});

describe('conditions operators', () => {
  it.each([
    ['=', (t: Row) => t.id === 30005, 'id = 30005'],
    ['!=', (t: Row) => t.id !== 30005, 'id != 30005'],
    ['<', (t: Row) => t.id < 30005, 'id < 30005'],
    ['<=', (t: Row) => t.id <= 30005, 'id <= 30005'],
    ['>', (t: Row) => t.id > 30120, 'id > 30120'],
    ['>=', (t: Row) => t.id >= 30120, 'id >= 30120'],
    [
      'contains',
      (t: Row) => String(t['summary']).toLowerCase().includes('quota'),
      'summary contains "QUOTA"',
    ],
    [
      'like',
      (t: Row) => String(t['summary']).startsWith('Device offline'),
      'summary like "Device off%"',
    ],
    ['in', (t: Row) => [30001, 30002].includes(t.id), 'id in (30001, 30002)'],
    ['not in', (t: Row) => ![30001, 30002].includes(t.id), 'id not in (30001, 30002)'],
    [
      'not contains',
      (t: Row) => !String(t['summary']).includes('offline'),
      'summary not contains "offline"',
    ],
  ])('supports %s', async (_op, keep, conditions) => {
    const res = await cw.get<Row[]>(q(conditions));
    expect(res.status).toBe(200);
    const expected = (allTickets() as unknown as Row[]).filter(keep).map((t) => t.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.body)).toEqual(expected);
  });
});

describe('and / or / parentheses', () => {
  it('accepts and/or in any case and honours parentheses', async () => {
    const res = await cw.get<Row[]>(q('(id = 30001 OR id = 30002) And closedFlag = false'));
    const expected = allTickets().filter(
      (t) => (t.id === 30001 || t.id === 30002) && !t.closedFlag,
    );
    expect(ids(res.body)).toEqual(expected.map((t) => t.id));
  });
});

describe('literals', () => {
  it('accepts double- and single-quoted strings, booleans in any case, null and numbers', async () => {
    const a = await cw.get<Row[]>(q(`company/identifier = "C00001"`));
    const b = await cw.get<Row[]>(q(`company/identifier = 'C00001'`));
    expect(ids(a.body)).toEqual(ids(b.body));
    const c = await cw.get<Row[]>(q('closedFlag = FALSE'));
    expect(c.body.length).toBe(allTickets().filter((t) => !t.closedFlag).length);
    const d = await cw.get<Row[]>(q('owner = null'));
    expect(d.body.length).toBe(130);
  });

  it('compares [datetime] literals', async () => {
    const res = await cw.get<Row[]>(q('_info/dateEntered >= [2026-06-01T00:00:00Z]'));
    const expected = allTickets().filter((t) => t._info.dateEntered! >= '2026-06-01T00:00:00Z');
    expect(ids(res.body)).toEqual(expected.map((t) => t.id));
  });
});

describe('reference paths', () => {
  it('filters on a/b paths such as status/name and board/id', async () => {
    const res = await cw.get<Row[]>(q('status/name = "In Progress" and board/id = 21'));
    expect(ids(res.body)).toEqual(
      allTickets()
        .filter((t) => t.status.name === 'In Progress')
        .map((t) => t.id),
    );
  });
});

describe('lastUpdated', () => {
  it('filters every object on lastUpdated, read from _info', async () => {
    const res = await cw.get<Row[]>(
      `/company/companies?pageSize=1000&conditions=${encodeURIComponent('lastUpdated > [2000-01-01T00:00:00Z]')}`,
    );
    expect(res.body.length).toBe(sandbox.state.companies.size);
    const none = await cw.get<Row[]>(
      `/company/companies?conditions=${encodeURIComponent('lastUpdated > [2999-01-01T00:00:00Z]')}`,
    );
    expect(none.body).toEqual([]);
  });
});

describe('like wildcards', () => {
  it('treats * and % as wildcards by default', async () => {
    const star = await cw.get<Row[]>(q('summary like "*quota*"'));
    const pct = await cw.get<Row[]>(q('summary like "%quota%"'));
    expect(star.body.length).toBeGreaterThan(0);
    expect(ids(star.body)).toEqual(ids(pct.body));
  });

  it('ignores a like filter when switched off (the tenant-observed reading)', async () => {
    sandbox.state.setBehaviour({ likeWildcards: false });
    const res = await cw.get<Row[]>(q('summary like "%nothing matches this%"'));
    expect(res.body).toHaveLength(130);
  });
});

describe('malformed conditions', () => {
  it('answers 400 with the server message about literal forms', async () => {
    const res = await cw.get<{ code: string; message: string }>(q('closedFlag = maybe'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidObject');
    expect(res.body.message).toContain(
      'String values should be enclosed with double or single quotes',
    );
  });
});

describe('childConditions and customFieldConditions', () => {
  it('childConditions match when one array element satisfies the whole filter', async () => {
    const contact = [...sandbox.state.contacts.values()][0]!;
    const email = contact.communicationItems[0]!.value;
    const cc = `communicationItems/value = "${email}" AND communicationItems/communicationType = "Email"`;
    const res = await cw.get<Row[]>(`/company/contacts?childConditions=${encodeURIComponent(cc)}`);
    expect(ids(res.body)).toEqual([contact.id]);
    const wrongType = `communicationItems/value = "${email}" AND communicationItems/communicationType = "Phone"`;
    expect(
      (await cw.get<Row[]>(`/company/contacts?childconditions=${encodeURIComponent(wrongType)}`))
        .body,
    ).toEqual([]);
  });

  it('customFieldConditions test caption and value of customFields', async () => {
    const created = await cw.post<Row>('/service/tickets', {
      summary: 'custom field carrier',
      company: { identifier: 'C00002' },
      customFields: [
        {
          id: 5,
          caption: 'Device',
          type: 'Text',
          entryMethod: 'EntryField',
          numberOfDecimals: 0,
          value: 'NAS-1',
        },
      ],
    });
    const cf = 'caption = "Device" AND value = "NAS-1"';
    const res = await cw.get<Row[]>(
      `/service/tickets?customFieldConditions=${encodeURIComponent(cf)}`,
    );
    expect(ids(res.body)).toEqual([created.body.id]);
  });
});

describe('fields, orderBy', () => {
  it('projects fields on GET lists, including nested paths', async () => {
    const res = await cw.get<Row[]>('/service/tickets?pageSize=2&fields=id,status/name');
    const [first] = res.body;
    expect(first?.id).toBe(30000);
    expect(Object.keys(first ?? {})).toEqual(['id', 'status']);
    expect(Object.keys(first?.['status'] ?? {})).toEqual(['name']);
  });

  it('projects fields on a POST response', async () => {
    const res = await cw.post<Row>('/service/tickets?fields=id,summary', {
      summary: 'projected',
      company: { identifier: 'C00003' },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'summary']);
  });

  it('orders by a field asc or desc, ties broken by id', async () => {
    const res = await cw.get<Row[]>('/service/tickets?pageSize=1000&orderBy=company/id desc');
    const expected = [...allTickets()].sort((a, b) => b.company.id - a.company.id || a.id - b.id);
    expect(ids(res.body)).toEqual(expected.map((t) => t.id));
  });

  it('refuses a malformed orderBy with a 400', async () => {
    const res = await cw.get('/service/tickets?orderBy=id%20sideways');
    expect(res.status).toBe(400);
  });
});

describe('URL escaping', () => {
  it('decodes %2B as a literal + and + as a space', async () => {
    const created = await cw.post<Row>('/service/tickets', {
      summary: 'C++ agent crashed',
      company: { identifier: 'C00004' },
    });
    const plus = await cw.get<Row[]>(
      '/service/tickets?conditions=summary%20contains%20%22C%2B%2B%22',
    );
    expect(ids(plus.body)).toEqual([created.body.id]);
    const spaces = await cw.get<Row[]>(
      '/service/tickets?conditions=summary+contains+%22C%2B%2B+agent%22',
    );
    expect(ids(spaces.body)).toEqual([created.body.id]);
  });
});
