// The SandboxState mutators tests use to set up scenarios, checked through the API a client sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunningSandbox } from '../index.js';
import { CwTestClient, startDemoSandbox } from '../test-support.js';
import { SandboxStateError } from './sandbox-state.js';

type Json = Record<string, unknown>;

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeEach(async () => {
  sandbox = await startDemoSandbox();
  cw = new CwTestClient(sandbox);
});
afterEach(() => sandbox.close());

const acmeTicket = { summary: 'after the change', company: { identifier: 'ACME' } };

describe('companies and contacts', () => {
  it('deactivateCompany makes ticket writes fail and the status visible; activateCompany undoes it', async () => {
    sandbox.state.deactivateCompany('ACME');
    const company = await cw.get<Json>('/company/companies/250');
    expect(company.body['status']).toMatchObject({ name: 'Inactive' });
    expect((await cw.post('/service/tickets', acmeTicket)).status).toBe(400);
    sandbox.state.activateCompany('ACME');
    expect((await cw.post('/service/tickets', acmeTicket)).status).toBe(201);
  });

  it('removeCompanyContacts leaves a company with no contacts and no default contact', async () => {
    expect(sandbox.state.removeCompanyContacts('Globex')).toBe(2);
    const contacts = await cw.get('/company/contacts?conditions=company/id%20=%20251');
    expect(contacts.body).toEqual([]);
    const company = await cw.get<Json>('/company/companies/251');
    expect('defaultContact' in company.body).toBe(false);
    const created = await cw.post<Json>('/service/tickets', { summary: 's', company: { id: 251 } });
    expect('contact' in created.body).toBe(false);
  });

  it('softDeleteCompany keeps it listed with deletedFlag', async () => {
    sandbox.state.softDeleteCompany(254);
    const res = await cw.get<Json>('/company/companies/254');
    expect(res.body).toMatchObject({ deletedFlag: true, deletedBy: 'jsmith' });
  });

  it('addCompany and addContact create records the API serves', async () => {
    const company = sandbox.state.addCompany({ identifier: 'Hooli', name: 'Hooli' });
    const contact = sandbox.state.addContact({
      company: 'Hooli',
      firstName: 'Gavin',
      lastName: 'Belson',
      email: 'gavin@hooli.example',
    });
    const res = await cw.get<Json>(`/company/companies/${company.id}`);
    expect(res.body['defaultContact']).toMatchObject({ id: contact.id, name: 'Gavin Belson' });
  });
});

describe('security', () => {
  it('setRoleLevel changes what a member may do at once', async () => {
    sandbox.state.setRoleLevel('psabridge Integration', 'serviceTickets', 'add', 'None');
    expect((await cw.post('/service/tickets', {})).status).toBe(403);
    sandbox.state.setRoleLevel('psabridge Integration', 'serviceTickets', 'all', 'All');
    expect((await cw.post('/service/tickets', {})).status).toBe(400);
  });

  it('revokeApiKey and addApiKey swap a member key', async () => {
    sandbox.state.revokeApiKey('DemoPublicKey001');
    expect((await cw.get('/system/info')).status).toBe(401);
    sandbox.state.addApiKey('bridge-api', {
      publicKey: 'DemoPublicKey001',
      privateKey: 'DemoPrivateKey01',
    });
    expect((await cw.get('/system/info')).status).toBe(200);
  });

  it('setMemberInactive locks the member out; setMemberRole changes its rights', async () => {
    sandbox.state.setMemberRole('bridge-api', 'psabridge Limited');
    expect((await cw.get('/service/boards')).status).toBe(403);
    sandbox.state.setMemberInactive('bridge-api');
    expect((await cw.get('/system/info')).status).toBe(401);
  });

  it('registerClientId / revokeClientId drive the registered policy', async () => {
    sandbox.state.setBehaviour({ clientIdPolicy: 'registered' });
    sandbox.state.revokeClientId('8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f');
    expect((await cw.get('/system/info')).status).toBe(400);
    sandbox.state.registerClientId('8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f');
    expect((await cw.get('/system/info')).status).toBe(200);
  });
});

describe('boards', () => {
  it('deleteBoard removes the board and its children', async () => {
    sandbox.state.deleteBoard('Backup Alerts');
    expect((await cw.get('/service/boards/21')).status).toBe(404);
    expect((await cw.get('/service/boards/21/statuses')).status).toBe(404);
    expect(sandbox.state.boardStatuses.lookup('board/id', 21)).toEqual([]);
    const res = await cw.post<Json>('/service/tickets', { ...acmeTicket, board: { id: 21 } });
    expect(res.status).toBe(400);
  });

  it('deleteBoardStatus and setBoardStatusInactive change what a ticket may use', async () => {
    sandbox.state.deleteBoardStatus('Backup Alerts', 'Waiting');
    const gone = await cw.post<Json>('/service/tickets', {
      ...acmeTicket,
      status: { name: 'Waiting' },
    });
    expect(gone.status).toBe(400);
    sandbox.state.setBoardStatusInactive('Backup Alerts', 'In Progress');
    const inactive = await cw.get<Json[]>(
      '/service/boards/21/statuses?conditions=inactive%20=%20true',
    );
    expect(inactive.body.map((s) => s['name']).sort()).toEqual([
      'Escalated (retired)',
      'In Progress',
    ]);
  });

  it('setBoardDefaultTeam moves or clears the default team', async () => {
    sandbox.state.setBoardDefaultTeam('Backup Alerts', 'Escalations');
    expect((await cw.post<Json>('/service/tickets', acmeTicket)).body['team']).toMatchObject({
      name: 'Escalations',
    });
    sandbox.state.setBoardDefaultTeam('Backup Alerts', null);
    const teams = await cw.get<Json[]>('/service/boards/21/teams');
    expect(teams.body.every((t) => t['defaultFlag'] === false)).toBe(true);
    sandbox.state.setBoardDefaultTeam('Projects Intake', 'Project Team');
    expect(sandbox.state.defaultTeamOf(22)?.name).toBe('Project Team');
  });

  it('setBoardInactive refuses new tickets on the board', async () => {
    sandbox.state.setBoardInactive('Backup Alerts');
    expect((await cw.post('/service/tickets', { ...acmeTicket, board: { id: 21 } })).status).toBe(
      400,
    );
  });
});

describe('tenant', () => {
  it('setCodebase simulates a cloud upgrade and refuses a malformed codebase', async () => {
    sandbox.state.setCodebase('v2025_2/');
    expect((await cw.get('/system/info')).status).toBe(404);
    expect(() => sandbox.state.setCodebase('v2025_3')).toThrow(SandboxStateError);
  });
});

describe('tickets (what a technician does in Manage)', () => {
  it('setTicketStatus closes a ticket as a technician', async () => {
    const t = sandbox.state.setTicketStatus(30001, 'Closed');
    expect(t).toMatchObject({ closedFlag: true, closedBy: 'jsmith' });
    const res = await cw.get<Json>('/service/tickets/30001');
    expect(res.body).toMatchObject({
      closedFlag: true,
      status: { name: 'Closed' },
      _info: { updatedBy: 'jsmith' },
    });
  });

  it('moveTicket moves a ticket to another board with its default status', async () => {
    sandbox.state.moveTicket(30001, 'Projects Intake');
    const res = await cw.get<Json>('/service/tickets/30001');
    expect(res.body).toMatchObject({ board: { id: 22 }, status: { name: 'New' } });
    expect('type' in res.body).toBe(false);
  });

  it('mergeTicket closes the child and points it at its parent', async () => {
    const child = await cw.post<Json & { id: number }>('/service/tickets', acmeTicket);
    sandbox.state.mergeTicket(child.body.id, 30001);
    const res = await cw.get<Json>(`/service/tickets/${child.body.id}`);
    expect(res.body).toMatchObject({ closedFlag: true, mergedParentTicket: { id: 30001 } });
    expect((await cw.get<Json>('/service/tickets/30001')).body['hasMergedChildTicketFlag']).toBe(
      true,
    );
  });

  it('addNote, listNotes, listTickets, getTicket and deleteTicket', () => {
    sandbox.state.addNote(30001, { text: 'Called the customer.', detailDescriptionFlag: true });
    expect(sandbox.state.listNotes(30001).map((n) => n.text)).toContain('Called the customer.');
    expect(sandbox.state.listTickets({ company: 'ACME' }).map((t) => t.id)).toEqual([30001]);
    expect(sandbox.state.getTicket(30002)?.closedFlag).toBe(true);
    sandbox.state.deleteTicket(30001);
    expect(sandbox.state.getTicket(30001)).toBeUndefined();
    expect(sandbox.state.listNotes(30001)).toEqual([]);
  });

  it('mutators name what is missing', () => {
    expect(() => sandbox.state.setTicketStatus(1, 'Closed')).toThrow(/no ticket 1/);
    expect(() => sandbox.state.deactivateCompany('Nope')).toThrow(/no company "Nope"/);
    expect(() => sandbox.state.setBoardDefaultTeam('Backup Alerts', 'Nope')).toThrow(/no team/);
  });
});
