// Reference §10 "Writes & validation", one group per checklist item.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunningSandbox } from './index.js';
import { CwTestClient, startDemoSandbox } from './test-support.js';

type Json = Record<string, unknown>;
type Ticket = Json & {
  id: number;
  status: Json;
  board: Json;
  company: Json;
  team?: Json;
  _info: Record<string, string>;
  closedFlag: boolean;
};
interface CwError {
  code: string;
  message: string;
  errors?: { code: string; message: string; resource: string; field: string }[];
}

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeAll(async () => {
  sandbox = await startDemoSandbox({ now: () => new Date('2026-12-03T10:00:00.123Z') });
  cw = new CwTestClient(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() =>
  sandbox.state.setBehaviour({
    patchNestedPath: 'reject',
    patchLeadingSlash: true,
    inactiveCompanyTickets: 'reject',
    boardWithoutDefaultTeam: 'allow',
    noteWithoutFlags: 'accept',
  }),
);

const create = (body: Json) => cw.post<Ticket>('/service/tickets', body);
const base = { summary: 'Backup failed on ACME-FS01', company: { identifier: 'ACME' } };

describe('POST creates', () => {
  it('answers 201 with the created record and its location', async () => {
    const res = await create(base);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      summary: base.summary,
      recordType: 'ServiceTicket',
      closedFlag: false,
    });
    expect(res.headers.get('location')).toMatch(new RegExp(`/service/tickets/${res.body.id}$`));
    expect(sandbox.state.getTicket(res.body.id)?.summary).toBe(base.summary);
  });
});

describe('defaults for omitted fields', () => {
  it('fills board (member default), its default status, default priority, default team, default contact, Medium severity/impact', async () => {
    const { body } = await create(base);
    expect(body.board).toMatchObject({ id: 21, name: 'Backup Alerts' });
    expect(body.status).toMatchObject({ id: 101, name: 'New' });
    expect(body['priority']).toMatchObject({ id: 3, name: 'Priority 3 - Normal' });
    expect(body.team).toMatchObject({ id: 11, name: 'Backup Team' });
    expect(body['contact']).toMatchObject({ id: 1001, name: 'Wile Coyote' });
    expect(body['contactEmailAddress']).toBe('wile.coyote@acme.example');
    expect(body['severity']).toBe('Medium');
    expect(body['impact']).toBe('Medium');
  });

  it('leaves the team empty on a board without a default team, or refuses when switched', async () => {
    const ok = await create({ ...base, board: { name: 'Projects Intake' } });
    expect(ok.status).toBe(201);
    expect(ok.body.team).toBeUndefined();
    sandbox.state.setBehaviour({ boardWithoutDefaultTeam: 'reject' });
    const refused = await create({ ...base, board: { name: 'Projects Intake' } });
    expect(refused.status).toBe(400);
    expect((refused.body as unknown as CwError).errors?.[0]).toMatchObject({ field: 'team' });
  });
});

describe('PUT replaces', () => {
  it('answers 200 and resets fields that were not sent to their defaults', async () => {
    const { body: created } = await create({
      ...base,
      externalXRef: 'put-1',
      severity: 'High',
      status: { name: 'Waiting' },
    });
    const res = await cw.put<Ticket>(`/service/tickets/${created.id}`, {
      summary: 'Replaced',
      company: { id: 250 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      summary: 'Replaced',
      severity: 'Medium',
      status: { name: 'New' },
    });
    expect(res.body['externalXRef']).toBeUndefined();
  });
});

describe('PATCH', () => {
  it('answers 200 with the full record after an array of operations', async () => {
    const { body: t } = await create(base);
    const res = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'summary', value: 'New summary' },
      { op: 'replace', path: 'status', value: { name: 'In Progress' } },
      { op: 'add', path: 'externalXRef', value: 'patched-1' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: t.id,
      summary: 'New summary',
      status: { name: 'In Progress' },
      externalXRef: 'patched-1',
      board: { id: 21 },
    });
  });

  it('removes a field with op remove', async () => {
    const { body: t } = await create({ ...base, externalXRef: 'to-remove' });
    const res = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'remove', path: 'externalXRef' },
    ]);
    expect(res.body['externalXRef']).toBeUndefined();
  });

  it('accepts a leading slash in path, or refuses it when switched', async () => {
    const { body: t } = await create(base);
    expect(
      (
        await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
          { op: 'replace', path: '/summary', value: 'Slashed' },
        ])
      ).body.summary,
    ).toBe('Slashed');
    sandbox.state.setBehaviour({ patchLeadingSlash: false });
    expect(
      (
        await cw.patch(`/service/tickets/${t.id}`, [
          { op: 'replace', path: '/summary', value: 'x' },
        ])
      ).status,
    ).toBe(400);
  });

  it('refuses a nested path, or gives the documented false 200 when switched', async () => {
    const { body: t } = await create(base);
    const nested = [{ op: 'replace', path: 'company/identifier', value: 'Globex' }];
    const refused = await cw.patch<CwError>(`/service/tickets/${t.id}`, nested);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('InvalidObject');
    sandbox.state.setBehaviour({ patchNestedPath: 'false200' });
    const false200 = await cw.patch<Ticket>(`/service/tickets/${t.id}`, nested);
    expect(false200.status).toBe(200);
    expect(false200.body.company).toMatchObject({ identifier: 'ACME' });
  });

  it('replaces customFields as a whole array', async () => {
    const field = (id: number, value: unknown) => ({
      id,
      caption: `F${id}`,
      type: 'Text',
      entryMethod: 'EntryField',
      numberOfDecimals: 0,
      value,
    });
    const { body: t } = await create({ ...base, customFields: [field(1, 'a'), field(2, 'b')] });
    const res = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'customFields', value: [field(2, null)] },
    ]);
    expect(res.body['customFields']).toEqual([field(2, null)]);
  });

  it('names paths case-sensitively and refuses read-only ones', async () => {
    const { body: t } = await create(base);
    expect(
      (await cw.patch(`/service/tickets/${t.id}`, [{ op: 'replace', path: 'Summary', value: 'x' }]))
        .status,
    ).toBe(400);
    const closed = await cw.patch<CwError>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'closedFlag', value: true },
    ]);
    expect(closed.status).toBe(400);
    expect(closed.body.errors?.[0]?.message).toContain('closed status');
  });

  it('gives a new company its default contact unless the patch names one', async () => {
    const { body: t } = await create(base);
    const res = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'company', value: { identifier: 'Globex' } },
    ]);
    expect(res.body.company).toMatchObject({ id: 251 });
    expect(res.body['contact']).toMatchObject({ id: 1003 });
  });
});

describe('DELETE', () => {
  it('answers 204 with no body, then the ticket is gone', async () => {
    const admin = new CwTestClient(sandbox, 'admin');
    const { body: t } = await create(base);
    const res = await admin.delete(`/service/tickets/${t.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await cw.get(`/service/tickets/${t.id}`)).status).toBe(404);
  });
});

describe('references by id, name or identifier', () => {
  it('resolves each form', async () => {
    const byId = await create({
      summary: 's',
      company: { id: 254 },
      board: { id: 21 },
      status: { id: 103 },
    });
    const byName = await create({
      summary: 's',
      company: { name: 'Stark Industries' },
      board: { name: 'backup alerts' },
      status: { name: 'Waiting' },
    });
    const byIdentifier = await create({ summary: 's', company: { identifier: 'StarkInd' } });
    for (const res of [byId, byName, byIdentifier]) {
      expect(res.status).toBe(201);
      expect(res.body.company).toMatchObject({ id: 254, identifier: 'StarkInd' });
    }
    expect(byName.body.status).toMatchObject({ id: 103 });
  });

  it('prefers the active company over its soft-deleted twin', async () => {
    const res = await create({ summary: 's', company: { identifier: 'Globex' } });
    expect(res.body.company).toMatchObject({ id: 251 });
  });
});

describe('unresolvable references', () => {
  it.each([
    [{ company: { id: 9999 } }, 'company/id', 'Company 9999 not found'],
    [{ company: { identifier: 'Nope' } }, 'company/identifier', 'Company "Nope" not found'],
    [{ board: { id: 99 } }, 'board/id', 'Service Board 99 not found'],
    [{ priority: { name: 'Priority 9' } }, 'priority/name', 'Priority "Priority 9" not found'],
    [{ type: { id: 211 } }, 'type/id', 'Service Type 211 not found for Service Board 21'],
    [
      { team: { name: 'Project Team' } },
      'team/name',
      'Service Team "Project Team" not found for Service Board 21',
    ],
    [
      { contact: { id: 1003 } },
      'contact',
      'Contact 1003 (Hank Scorpio) does not belong to Company ACME.',
    ],
  ])(
    'answers 400 InvalidObject with a nested error naming the field (%#)',
    async (extra, field, message) => {
      const res = await cw.post<CwError>('/service/tickets', { ...base, ...extra });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('InvalidObject');
      expect(res.body.message).toBe('ticket object is invalid');
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({ field, message, resource: 'ticket' }),
      );
    },
  );
});

describe('_info and hrefs', () => {
  it('carries lastUpdated, updatedBy, dateEntered, enteredBy and *_href links with the real double slash', async () => {
    const { body } = await create(base);
    expect(body._info).toMatchObject({
      lastUpdated: '2026-12-03T10:00:00Z',
      updatedBy: 'bridge-api',
      dateEntered: '2026-12-03T10:00:00Z',
      enteredBy: 'bridge-api',
      notes_href: `${sandbox.url}/v2025_1//apis/3.0/service/tickets/${body.id}/notes`,
    });
    expect((body.board['_info'] as Json)['board_href']).toBe(
      `${sandbox.url}/v2025_1//apis/3.0/service/boards/21`,
    );
  });

  it('can place the double slash after the API root, or drop it', async () => {
    const own = await startDemoSandbox({ behaviour: { hrefDoubleSlash: 'afterApiRoot' } });
    try {
      const { body } = await new CwTestClient(own).get<Ticket>('/service/tickets/30001');
      expect((body.board['_info'] as Json)['board_href']).toBe(
        `${own.url}/v2025_1/apis/3.0//service/boards/21`,
      );
      own.state.setBehaviour({ hrefDoubleSlash: 'none' });
      const clean = await new CwTestClient(own).get<Ticket>('/service/tickets/30001');
      expect((clean.body.board['_info'] as Json)['board_href']).toBe(
        `${own.url}/v2025_1/apis/3.0/service/boards/21`,
      );
    } finally {
      await own.close();
    }
  });

  it('serves the href it hands out', async () => {
    const { body } = await create(base);
    const href = (body.company['_info'] as Json)['company_href'] as string;
    expect((await cw.get(href)).status).toBe(200);
  });
});

describe('null properties', () => {
  it('are omitted, while customFields values may be null', async () => {
    const { body } = await create({
      ...base,
      poNumber: null,
      customFields: [{ id: 7, caption: 'X', value: null }],
    });
    expect('poNumber' in body).toBe(false);
    expect('owner' in body).toBe(false);
    const { customFields, ...rest } = body;
    expect(JSON.stringify(rest)).not.toContain('null');
    expect(customFields).toEqual([{ id: 7, caption: 'X', value: null }]);
  });
});

describe('datetimes', () => {
  it.each(['2026-12-03T10:00:00', '2026-12-03T10:00:00.000Z', '03/12/2026'])(
    'refuses %s with 400 UnsupportedFormat',
    async (value) => {
      const res = await cw.post<CwError>('/service/tickets', { ...base, requiredDate: value });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UnsupportedFormat');
      expect(res.body.errors?.[0]?.field).toBe('requiredDate');
    },
  );

  it('accepts yyyy-MM-ddTHH:mm:ssZ and writes timestamps the same way', async () => {
    const res = await create({ ...base, requiredDate: '2026-12-05T17:00:00Z' });
    expect(res.body['requiredDate']).toBe('2026-12-05T17:00:00Z');
    expect(res.body._info['dateEntered']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('summary and company', () => {
  it('are required', async () => {
    const res = await cw.post<CwError>('/service/tickets', {});
    expect(res.body.errors).toEqual([
      {
        code: 'MissingRequiredField',
        message: 'The summary field is required.',
        resource: 'ticket',
        field: 'summary',
      },
      {
        code: 'MissingRequiredField',
        message: 'The company field is required.',
        resource: 'ticket',
        field: 'company',
      },
    ]);
  });

  it('refuses a summary over 100 characters with MaxLengthField, and accepts exactly 100', async () => {
    const long = await cw.post<CwError>('/service/tickets', { ...base, summary: 'x'.repeat(101) });
    expect(long.body.errors).toContainEqual({
      code: 'MaxLengthField',
      message: 'The field summary must be a string with a maximum length of 100.',
      resource: 'ticket',
      field: 'summary',
    });
    expect((await create({ ...base, summary: 'x'.repeat(100) })).status).toBe(201);
  });

  it('refuses an inactive company (the integration page rule), or allows it when switched', async () => {
    const refused = await cw.post<CwError>('/service/tickets', {
      ...base,
      company: { identifier: 'Initech' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]).toMatchObject({ field: 'company', code: 'InvalidField' });
    const onHold = await cw.post<CwError>('/service/tickets', {
      ...base,
      company: { identifier: 'Cyberdyne' },
    });
    expect(onHold.status).toBe(400);
    sandbox.state.setBehaviour({ inactiveCompanyTickets: 'allow' });
    expect((await create({ ...base, company: { identifier: 'Initech' } })).status).toBe(201);
  });

  it('refuses a soft-deleted company named by id', async () => {
    const res = await cw.post<CwError>('/service/tickets', { ...base, company: { id: 249 } });
    expect(res.body.errors?.[0]).toMatchObject({ code: 'NotFound', field: 'company/id' });
  });
});

describe('status must belong to the board', () => {
  it('answers the captured NotFound "Service Status N not found for Service Board M"', async () => {
    const res = await cw.post<CwError>('/service/tickets', { ...base, status: { id: 111 } });
    expect(res.body).toEqual({
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      errors: [
        {
          code: 'NotFound',
          message: 'Service Status 111 not found for Service Board 21',
          resource: 'ticket',
          field: 'status/id',
        },
      ],
    });
  });

  it('refuses an inactive status', async () => {
    const res = await cw.post<CwError>('/service/tickets', {
      ...base,
      status: { name: 'Escalated (retired)' },
    });
    expect(res.body.errors?.[0]).toMatchObject({ field: 'status', code: 'InvalidField' });
  });
});

describe('type / subtype / item associations', () => {
  it('accepts a valid combination and refuses one the board does not associate', async () => {
    const ok = await create({
      ...base,
      type: { name: 'Backup' },
      subType: { name: 'Failed' },
      item: { name: 'Restore' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body['item']).toMatchObject({ id: 402 });
    const bad = await cw.post<CwError>('/service/tickets', {
      ...base,
      type: { name: 'Backup' },
      subType: { name: 'Offline' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toMatchObject({ field: 'subType', code: 'InvalidField' });
  });

  it('needs a type when a subtype or item is given', async () => {
    const res = await cw.post<CwError>('/service/tickets', {
      ...base,
      subType: { name: 'Failed' },
    });
    expect(res.body.errors?.[0]).toMatchObject({ field: 'type' });
  });
});

describe('contacts need a firstName', () => {
  it('answers the captured MissingRequiredField body', async () => {
    const admin = new CwTestClient(sandbox, 'admin');
    const res = await admin.post<CwError>('/company/contacts', {
      lastName: 'Nobody',
      company: { id: 253 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'InvalidObject',
      message: 'contact object is invalid',
      errors: [
        {
          code: 'MissingRequiredField',
          message: 'The firstName field is required.',
          resource: 'contact',
          field: 'firstName',
        },
      ],
    });
  });

  it('creates a contact, which becomes the default of a company that had none', async () => {
    const own = await startDemoSandbox();
    try {
      const admin = new CwTestClient(own, 'admin');
      const res = await admin.post<Json & { id: number }>('/company/contacts', {
        firstName: 'Alice',
        lastName: 'Wesker',
        company: { identifier: 'Umbrella' },
        communicationItems: [
          { type: { name: 'Email' }, value: 'alice@umbrella.example', communicationType: 'Email' },
        ],
      });
      expect(res.status).toBe(201);
      expect(own.state.company('Umbrella').defaultContact).toEqual({
        id: res.body.id,
        name: 'Alice Wesker',
      });
    } finally {
      await own.close();
    }
  });
});

describe('initialDescription', () => {
  it('is stored as the first note with detailDescriptionFlag and never returned', async () => {
    const res = await create({
      ...base,
      initialDescription: 'Job Nightly failed.',
      initialInternalAnalysis: 'VSS error',
    });
    expect('initialDescription' in res.body).toBe(false);
    const notes = await cw.get<Json[]>(`/service/tickets/${res.body.id}/notes`);
    expect(
      notes.body.map((n) => [n['text'], n['detailDescriptionFlag'], n['internalAnalysisFlag']]),
    ).toEqual([
      ['Job Nightly failed.', true, false],
      ['VSS error', false, true],
    ]);
    expect((await cw.get(`/service/tickets/${res.body.id}`)).text).not.toContain(
      'initialDescription',
    );
  });
});

describe('service and project tickets are separate resources', () => {
  it('answers 404 "Ticket not found" for a project ticket id on /service/tickets', async () => {
    const res = await cw.get('/service/tickets/30010');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NotFound', message: 'Ticket not found' });
    expect((await cw.get('/project/tickets/30010')).status).toBe(200);
  });

  it('finds no project tickets through recordType on /service/tickets', async () => {
    const res = await cw.get(
      `/service/tickets?conditions=${encodeURIComponent("recordType='ProjectTicket'")}`,
    );
    expect(res.body).toEqual([]);
  });

  it('shares one id sequence, so new service tickets never reuse a project ticket id', async () => {
    const { body } = await create(base);
    expect(body.id).toBeGreaterThan(30010);
  });
});

describe('notes', () => {
  it('derive internalFlag and externalFlag from the three kind flags', async () => {
    const { body: t } = await create(base);
    const post = (flags: Json) =>
      cw.post<Json>(`/service/tickets/${t.id}/notes`, { text: 'n', ...flags });
    expect((await post({ internalAnalysisFlag: true })).body).toMatchObject({
      internalFlag: true,
      externalFlag: false,
    });
    expect((await post({ detailDescriptionFlag: true })).body).toMatchObject({
      internalFlag: false,
      externalFlag: true,
    });
    expect((await post({ resolutionFlag: true })).body).toMatchObject({
      internalFlag: false,
      externalFlag: true,
    });
    const both = await post({ detailDescriptionFlag: true, internalAnalysisFlag: true });
    expect(both.status).toBe(201);
    expect(both.body).toMatchObject({
      ticketId: t.id,
      internalFlag: true,
      externalFlag: true,
      member: { identifier: 'bridge-api' },
      createdBy: 'bridge-api',
    });
  });

  it('accepts a note without kind flags by default and refuses it when switched', async () => {
    const { body: t } = await create(base);
    expect((await cw.post(`/service/tickets/${t.id}/notes`, { text: 'plain' })).status).toBe(201);
    sandbox.state.setBehaviour({ noteWithoutFlags: 'reject' });
    expect((await cw.post(`/service/tickets/${t.id}/notes`, { text: 'plain' })).status).toBe(400);
  });

  it('needs text, and a ticket that exists', async () => {
    const { body: t } = await create(base);
    const res = await cw.post<CwError>(`/service/tickets/${t.id}/notes`, {
      detailDescriptionFlag: true,
    });
    expect(res.body.errors?.[0]).toMatchObject({
      code: 'MissingRequiredField',
      field: 'text',
      resource: 'serviceNote',
    });
    expect((await cw.post('/service/tickets/1/notes', { text: 'x' })).status).toBe(404);
  });

  it('counts and gets single notes', async () => {
    const { body: t } = await create({ ...base, initialDescription: 'first' });
    const count = await cw.get(`/service/tickets/${t.id}/notes/count`);
    expect(count.body).toEqual({ count: 1 });
    const [note] = sandbox.state.listNotes(t.id);
    expect((await cw.get<Json>(`/service/tickets/${t.id}/notes/${note!.id}`)).body['text']).toBe(
      'first',
    );
  });
});

describe('soft-deleted companies', () => {
  it('are still listed, with deletedFlag true', async () => {
    const res = await cw.get<Json[]>('/company/companies?conditions=identifier%20=%20%22Globex%22');
    expect(res.body.map((c) => [c['id'], c['deletedFlag']])).toEqual([
      [249, true],
      [251, false],
    ]);
  });
});

describe('no idempotency', () => {
  it('makes a second ticket for a repeated POST, even with the same externalXRef', async () => {
    const body = { ...base, externalXRef: 'same-key' };
    const a = await create(body);
    const b = await create(body);
    expect(a.body.id).not.toBe(b.body.id);
    const found = await cw.get<Json[]>(
      `/service/tickets?conditions=${encodeURIComponent('externalXRef = "same-key"')}`,
    );
    expect(found.body).toHaveLength(2);
  });
});

describe('closedFlag follows the status', () => {
  it('closes with a closed status and reopens with an open one', async () => {
    const { body: t } = await create(base);
    const closed = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'status', value: { name: 'Resolved' } },
    ]);
    expect(closed.body).toMatchObject({
      closedFlag: true,
      closedBy: 'bridge-api',
      closedDate: '2026-12-03T10:00:00Z',
    });
    const reopened = await cw.patch<Ticket>(`/service/tickets/${t.id}`, [
      { op: 'replace', path: 'status', value: { id: 101 } },
    ]);
    expect(reopened.body.closedFlag).toBe(false);
    expect('closedDate' in reopened.body).toBe(false);
  });
});

describe('externalXRef', () => {
  it('is stored, filterable, and limited to 100 characters', async () => {
    const { body: t } = await create({ ...base, externalXRef: 'psab:ACME:dev-42:backup.failed' });
    const found = await cw.get<Json[]>(
      `/service/tickets?conditions=${encodeURIComponent('externalXRef = "psab:ACME:dev-42:backup.failed"')}`,
    );
    expect(found.body.map((x) => x['id'])).toEqual([t.id]);
    const long = await cw.post<CwError>('/service/tickets', {
      ...base,
      externalXRef: 'x'.repeat(101),
    });
    expect(long.body.errors?.[0]).toMatchObject({ code: 'MaxLengthField', field: 'externalXRef' });
  });
});
