/**
 * Every ConnectWise Manage REST endpoint psabridge uses, defined once.
 *
 * The client builds its URLs from these definitions and the sandbox registers its routes from
 * them, so the two cannot drift apart. Paths are relative to `/{codebase}apis/3.0` and use
 * `:name` placeholders. `permission` names the security-role row ConnectWise checks before it
 * does anything else, which is what lets the bridge probe a permission with a request that would
 * otherwise fail validation (see the sandbox README section "Permission probes").
 */
import type { ModuleFunctionKey, PermissionAction } from './permissions.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface EndpointDef {
  readonly method: HttpMethod;
  /** Path template under `/apis/3.0`, e.g. `/service/tickets/:id`. */
  readonly path: string;
  /** The security-role row and action the call needs; absent for calls any member may make. */
  readonly permission?: { readonly fn: ModuleFunctionKey; readonly action: PermissionAction };
  /** The camelCase model name ConnectWise puts in `errors[].resource`. */
  readonly resource: string;
}

function def(
  method: HttpMethod,
  path: string,
  resource: string,
  fn?: ModuleFunctionKey,
  action?: PermissionAction,
): EndpointDef {
  return fn && action
    ? { method, path, resource, permission: { fn, action } }
    : { method, path, resource };
}

export const ENDPOINTS = {
  systemInfo: def('GET', '/system/info', 'info'),

  listCompanies: def('GET', '/company/companies', 'company', 'companyMaintenance', 'inquire'),
  countCompanies: def(
    'GET',
    '/company/companies/count',
    'company',
    'companyMaintenance',
    'inquire',
  ),
  getCompany: def('GET', '/company/companies/:id', 'company', 'companyMaintenance', 'inquire'),
  listCompanyStatuses: def(
    'GET',
    '/company/companies/statuses',
    'companyStatus',
    'companyMaintenance',
    'inquire',
  ),

  listContacts: def('GET', '/company/contacts', 'contact', 'contacts', 'inquire'),
  countContacts: def('GET', '/company/contacts/count', 'contact', 'contacts', 'inquire'),
  getContact: def('GET', '/company/contacts/:id', 'contact', 'contacts', 'inquire'),

  listTickets: def('GET', '/service/tickets', 'ticket', 'serviceTickets', 'inquire'),
  countTickets: def('GET', '/service/tickets/count', 'ticket', 'serviceTickets', 'inquire'),
  searchTickets: def('POST', '/service/tickets/search', 'ticket', 'serviceTickets', 'inquire'),
  getTicket: def('GET', '/service/tickets/:id', 'ticket', 'serviceTickets', 'inquire'),
  createTicket: def('POST', '/service/tickets', 'ticket', 'serviceTickets', 'add'),
  patchTicket: def('PATCH', '/service/tickets/:id', 'ticket', 'serviceTickets', 'edit'),

  listTicketNotes: def(
    'GET',
    '/service/tickets/:parentId/notes',
    'serviceNote',
    'serviceTickets',
    'inquire',
  ),
  countTicketNotes: def(
    'GET',
    '/service/tickets/:parentId/notes/count',
    'serviceNote',
    'serviceTickets',
    'inquire',
  ),
  createTicketNote: def(
    'POST',
    '/service/tickets/:parentId/notes',
    'serviceNote',
    'serviceTickets',
    'edit',
  ),

  listBoards: def('GET', '/service/boards', 'board', 'tableSetup', 'inquire'),
  getBoard: def('GET', '/service/boards/:id', 'board', 'tableSetup', 'inquire'),
  listBoardStatuses: def(
    'GET',
    '/service/boards/:parentId/statuses',
    'boardStatus',
    'tableSetup',
    'inquire',
  ),
  listBoardTypes: def(
    'GET',
    '/service/boards/:parentId/types',
    'boardType',
    'tableSetup',
    'inquire',
  ),
  listBoardSubTypes: def(
    'GET',
    '/service/boards/:parentId/subtypes',
    'boardSubType',
    'tableSetup',
    'inquire',
  ),
  listBoardItems: def(
    'GET',
    '/service/boards/:parentId/items',
    'boardItem',
    'tableSetup',
    'inquire',
  ),
  listBoardTeams: def(
    'GET',
    '/service/boards/:parentId/teams',
    'boardTeam',
    'tableSetup',
    'inquire',
  ),
  listBoardAssociations: def(
    'GET',
    '/service/boards/:parentId/typeSubTypeItemAssociations',
    'boardTypeSubTypeItemAssociation',
    'tableSetup',
    'inquire',
  ),
  listPriorities: def('GET', '/service/priorities', 'priority', 'tableSetup', 'inquire'),

  listProjectTickets: def('GET', '/project/tickets', 'projectTicket', 'projectTickets', 'inquire'),
  countProjectTickets: def(
    'GET',
    '/project/tickets/count',
    'projectTicket',
    'projectTickets',
    'inquire',
  ),
  getProjectTicket: def(
    'GET',
    '/project/tickets/:id',
    'projectTicket',
    'projectTickets',
    'inquire',
  ),

  // Served by the sandbox for fidelity (PUT/DELETE semantics, contact validation) and so its
  // state can be inspected through the API with an admin key.
  replaceTicket: def('PUT', '/service/tickets/:id', 'ticket', 'serviceTickets', 'edit'),
  deleteTicket: def('DELETE', '/service/tickets/:id', 'ticket', 'serviceTickets', 'delete'),
  getTicketNote: def(
    'GET',
    '/service/tickets/:parentId/notes/:id',
    'serviceNote',
    'serviceTickets',
    'inquire',
  ),
  createContact: def('POST', '/company/contacts', 'contact', 'contacts', 'add'),
  listSecurityRoles: def(
    'GET',
    '/system/securityroles',
    'securityRole',
    'securityRoles',
    'inquire',
  ),
  getSecurityRole: def(
    'GET',
    '/system/securityroles/:id',
    'securityRole',
    'securityRoles',
    'inquire',
  ),
  listSecurityRoleSettings: def(
    'GET',
    '/system/securityRoles/:parentId/settings',
    'securityRoleSetting',
    'securityRoles',
    'inquire',
  ),
  listMembers: def('GET', '/system/members', 'member', 'memberMaintenance', 'inquire'),
  getMember: def('GET', '/system/members/:id', 'member', 'memberMaintenance', 'inquire'),
} as const satisfies Record<string, EndpointDef>;

export type EndpointName = keyof typeof ENDPOINTS;

/**
 * Fills a path template: `fillPath('/service/tickets/:id', { id: 7 })` → `/service/tickets/7`.
 * @throws Error when a placeholder has no value, which is a programming error.
 */
export function fillPath(
  template: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path ${template} needs a value for :${name}`);
    return encodeURIComponent(String(value));
  });
}

/** The unauthenticated codebase lookup, outside `/apis/3.0`. */
export const COMPANY_INFO_PATH = '/login/companyinfo/:companyId';

/** The codebase every on-premise server answers, and the one most clients hard-code. */
export const CLASSIC_CODEBASE = 'v4_6_release/';
