/**
 * Stored records → the JSON ConnectWise sends: `_info` gains its `*_href` links, every reference
 * gains `_info.<x>_href`, and null properties are dropped (§3.1). Hrefs are absolute and point at
 * the tenant's current codebase with the double slash real tenants emit (§2.2), placed per
 * `behaviour.hrefDoubleSlash`.
 */
import type { SandboxBehaviour } from './behaviour.js';
import { omitNulls } from './state/format.js';
import type {
  BoardAssociationRecord,
  BoardItemRecord,
  BoardRecord,
  BoardStatusRecord,
  BoardSubTypeRecord,
  BoardTeamRecord,
  BoardTypeRecord,
  CompanyRecord,
  CompanyStatusRecord,
  CompanyTypeRecord,
  ContactRecord,
  MemberRecord,
  NoteRecord,
  PriorityRecord,
  ProjectTicketRecord,
  Ref,
  SecurityRoleRecord,
  TicketRecord,
} from './state/records.js';

type Json = Record<string, unknown>;

/** Builds absolute hrefs under `/apis/3.0`. */
export class Hrefs {
  readonly #prefix: string;
  readonly #style: SandboxBehaviour['hrefDoubleSlash'];

  /**
   * @param origin e.g. `http://127.0.0.1:8787`
   * @param codebase the tenant's current codebase, with its trailing slash
   */
  constructor(origin: string, codebase: string, style: SandboxBehaviour['hrefDoubleSlash']) {
    this.#style = style;
    this.#prefix =
      style === 'afterCodebase'
        ? `${origin}/${codebase}/apis/3.0`
        : `${origin}/${codebase}apis/3.0`;
  }

  /** `path` starts with `/`, e.g. `/service/boards/21`. */
  to(path: string): string {
    return this.#style === 'afterApiRoot' ? `${this.#prefix}/${path}` : `${this.#prefix}${path}`;
  }
}

function linked(
  ref: Ref | undefined,
  h: Hrefs,
  key: string,
  path: string,
  extra: Json = {},
): Json | undefined {
  if (!ref) return undefined;
  return { ...ref, _info: { [key]: h.to(path), ...extra } };
}

function memberRef(ref: Ref | undefined, h: Hrefs): Json | undefined {
  if (!ref) return undefined;
  return linked(ref, h, 'member_href', `/system/members/${ref.id}`, {
    image_href: h.to(`/system/members/${ref.id}/image`),
  });
}

export function renderCompany(c: CompanyRecord, h: Hrefs): Json {
  const id = c.id;
  return omitNulls({
    ...c,
    status: linked(c.status, h, 'status_href', `/company/companies/statuses/${c.status.id}`),
    defaultContact: linked(
      c.defaultContact,
      h,
      'contact_href',
      `/company/contacts/${c.defaultContact?.id}`,
    ),
    types: c.types.map((t) => linked(t, h, 'type_href', `/company/companies/types/${t.id}`)),
    _info: {
      ...c._info,
      contacts_href: h.to(`/company/contacts?conditions=company/id=${id}`),
      agreements_href: h.to(`/finance/agreements?conditions=company/id=${id}`),
      tickets_href: h.to(`/service/tickets?conditions=company/id=${id}`),
      opportunities_href: h.to(`/sales/opportunities?conditions=company/id=${id}`),
      activities_href: h.to(`/sales/activities?conditions=company/id=${id}`),
      projects_href: h.to(`/project/projects?conditions=company/id=${id}`),
      configurations_href: h.to(`/company/configurations?conditions=company/id=${id}`),
      orders_href: h.to(`/sales/orders?conditions=company/id=${id}`),
      documents_href: h.to(`/system/documents?recordType=Company&recordId=${id}`),
      sites_href: h.to(`/company/companies/${id}/sites`),
      teams_href: h.to(`/company/companies/${id}/teams`),
      reports_href: h.to(`/company/companies/${id}/managementSummaryReports`),
      notes_href: h.to(`/company/companies/${id}/notes`),
    },
  });
}

export function renderCompanyStatus(s: CompanyStatusRecord): Json {
  return omitNulls({ ...s });
}

export function renderCompanyType(t: CompanyTypeRecord): Json {
  return omitNulls({ ...t });
}

function companyRef(ref: Ref, h: Hrefs, mobileGuid?: string): Json {
  return linked(
    ref,
    h,
    'company_href',
    `/company/companies/${ref.id}`,
    mobileGuid ? { mobileGuid } : {},
  )!;
}

export function renderContact(c: ContactRecord, h: Hrefs, companyGuid?: string): Json {
  const id = c.id;
  return omitNulls({
    ...c,
    company: companyRef(c.company, h, companyGuid),
    communicationItems: c.communicationItems.map((item) => ({
      ...item,
      type: linked(item.type, h, 'type_href', `/company/communicationTypes/${item.type.id}`),
    })),
    _info: {
      ...c._info,
      communications_href: h.to(`/company/contacts/${id}/communications`),
      notes_href: h.to(`/company/contacts/${id}/notes`),
      tracks_href: h.to(`/company/contacts/${id}/tracks`),
      portalSecurity_href: h.to(`/company/contacts/${id}/portalSecurity`),
      activities_href: h.to(`/sales/activities?conditions=contact/id=${id}`),
      documents_href: h.to(`/system/documents?recordType=Contact&recordId=${id}`),
      configurations_href: h.to(`/company/configurations?conditions=contact/id=${id}`),
      tickets_href: h.to(`/service/tickets?conditions=contact/id=${id}`),
      opportunities_href: h.to(`/sales/opportunities?conditions=contact/id=${id}`),
      projects_href: h.to(`/project/projects?conditions=contact/id=${id}`),
      image_href: h.to(`/company/contacts/${id}/image`),
    },
  });
}

function boardRef(ref: Ref, h: Hrefs): Json {
  return linked(ref, h, 'board_href', `/service/boards/${ref.id}`)!;
}

export function renderBoard(b: BoardRecord, h: Hrefs): Json {
  return omitNulls({
    ...b,
    location: linked(b.location, h, 'location_href', `/system/locations/${b.location.id}`),
    department: linked(
      b.department,
      h,
      'department_href',
      `/system/departments/${b.department.id}`,
    ),
    _info: {
      ...b._info,
      statuses_href: h.to(`/service/boards/${b.id}/statuses`),
      types_href: h.to(`/service/boards/${b.id}/types`),
      subtypes_href: h.to(`/service/boards/${b.id}/subtypes`),
      items_href: h.to(`/service/boards/${b.id}/items`),
      teams_href: h.to(`/service/boards/${b.id}/teams`),
    },
  });
}

export function renderBoardStatus(s: BoardStatusRecord, h: Hrefs): Json {
  return omitNulls({ ...s, board: boardRef(s.board, h) });
}

export function renderBoardType(t: BoardTypeRecord, h: Hrefs): Json {
  return omitNulls({ ...t, board: boardRef(t.board, h) });
}

export function renderBoardSubType(t: BoardSubTypeRecord, h: Hrefs): Json {
  return omitNulls({ ...t, board: boardRef(t.board, h) });
}

export function renderBoardItem(i: BoardItemRecord, h: Hrefs): Json {
  return omitNulls({ ...i, board: boardRef(i.board, h) });
}

export function renderBoardTeam(t: BoardTeamRecord, h: Hrefs): Json {
  return omitNulls({ ...t, teamLeader: memberRef(t.teamLeader, h) });
}

export function renderBoardAssociation(a: BoardAssociationRecord, h: Hrefs): Json {
  const board = a.board.id;
  return omitNulls({
    ...a,
    type: linked(a.type, h, 'type_href', `/service/boards/${board}/types/${a.type.id}`),
    subType: linked(
      a.subType,
      h,
      'subType_href',
      `/service/boards/${board}/subtypes/${a.subType?.id}`,
    ),
    item: linked(a.item, h, 'item_href', `/service/boards/${board}/items/${a.item?.id}`),
    board: boardRef(a.board, h),
  });
}

export function renderPriority(p: PriorityRecord, h: Hrefs): Json {
  return omitNulls({
    ...p,
    _info: {
      ...p._info,
      image_href: h.to(`/service/priorities/${p.id}/image?lm=${p._info.lastUpdated}`),
    },
  });
}

export function renderTicket(t: TicketRecord, h: Hrefs, companyGuid?: string): Json {
  const id = t.id;
  const board = t.board.id;
  const { customFields, ...rest } = t;
  const out: Json = omitNulls({
    ...rest,
    board: boardRef(t.board, h),
    status: linked(t.status, h, 'status_href', `/service/boards/${board}/statuses/${t.status.id}`),
    company: companyRef(t.company, h, companyGuid),
    contact: linked(t.contact, h, 'contact_href', `/company/contacts/${t.contact?.id}`),
    type: linked(t.type, h, 'type_href', `/service/boards/${board}/types/${t.type?.id}`),
    subType: linked(
      t.subType,
      h,
      'subType_href',
      `/service/boards/${board}/subtypes/${t.subType?.id}`,
    ),
    item: linked(t.item, h, 'item_href', `/service/boards/${board}/items/${t.item?.id}`),
    team: linked(t.team, h, 'team_href', `/service/boards/${board}/teams/${t.team?.id}`),
    owner: memberRef(t.owner, h),
    priority: linked(t.priority, h, 'priority_href', `/service/priorities/${t.priority?.id}`, {
      image_href: h.to(`/service/priorities/${t.priority?.id}/image`),
    }),
    mergedParentTicket: linked(
      t.mergedParentTicket,
      h,
      'ticket_href',
      `/service/tickets/${t.mergedParentTicket?.id}`,
    ),
    _info: {
      ...t._info,
      activities_href: h.to(`/sales/activities?conditions=ticket/id=${id}`),
      scheduleentries_href: h.to(`/schedule/entries?conditions=type/id=4 AND objectId=${id}`),
      documents_href: h.to(`/system/documents?recordType=Ticket&recordId=${id}`),
      configurations_href: h.to(`/service/tickets/${id}/configurations`),
      tasks_href: h.to(`/service/tickets/${id}/tasks`),
      notes_href: h.to(`/service/tickets/${id}/notes`),
      products_href: h.to(
        `/procurement/products?conditions=chargeToType='Ticket' AND chargeToId=${id}`,
      ),
      timeentries_href: h.to(
        `/time/entries?conditions=(chargeToType='ServiceTicket' OR chargeToType='ProjectTicket') AND chargeToId=${id}`,
      ),
      expenseEntries_href: h.to(
        `/expense/entries?conditions=(chargeToType='ServiceTicket' OR chargeToType='ProjectTicket') AND chargeToId=${id}`,
      ),
    },
  });
  // customFields[].value may be null in real payloads (§3.1), so they skip omitNulls.
  if (customFields) out['customFields'] = customFields.map((field) => ({ ...field }));
  return out;
}

export function renderNote(n: NoteRecord, h: Hrefs): Json {
  return omitNulls({
    ...n,
    member: memberRef(n.member, h),
    contact: linked(n.contact, h, 'contact_href', `/company/contacts/${n.contact?.id}`),
  });
}

export function renderProjectTicket(t: ProjectTicketRecord, h: Hrefs): Json {
  return omitNulls({
    ...t,
    board: linked(t.board, h, 'board_href', `/project/boards/${t.board.id}`),
    status: linked(t.status, h, 'status_href', `/project/statuses/${t.status.id}`),
    project: linked(t.project, h, 'project_href', `/project/projects/${t.project.id}`),
    phase: linked(
      t.phase,
      h,
      'phase_href',
      `/project/projects/${t.project.id}/phases/${t.phase.id}`,
    ),
    company: companyRef(t.company, h),
    _info: { ...t._info, notes_href: h.to(`/project/tickets/${t.id}/notes`) },
  });
}

export function renderSecurityRole(r: SecurityRoleRecord): Json {
  const { permissions: _permissions, ...rest } = r;
  return omitNulls(rest);
}

export function renderMember(m: MemberRecord, h: Hrefs): Json {
  return omitNulls({
    ...m,
    securityRole: linked(
      m.securityRole,
      h,
      'securityRole_href',
      `/system/securityroles/${m.securityRole.id}`,
    ),
    serviceDefaultBoard: m.serviceDefaultBoard ? boardRef(m.serviceDefaultBoard, h) : undefined,
    _info: { ...m._info, image_href: h.to(`/system/members/${m.id}/image`) },
  });
}
