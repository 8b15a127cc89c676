/**
 * The ConnectWise resources psabridge uses, as typed calls grouped the way the API groups them
 * (`client.companies`, `client.tickets`, `client.boards`, …). Each method names its `ENDPOINTS`
 * entry; URLs, paging, retries and errors are the client's business.
 */
import type {
  Board,
  BoardItem,
  BoardStatus,
  BoardSubType,
  BoardTeam,
  BoardType,
  BoardTypeSubTypeItemAssociation,
  Company,
  CompanyStatus,
  Contact,
  PatchOperation,
  Priority,
  ProjectTicket,
  ServiceNote,
  ServiceNoteCreate,
  Ticket,
  TicketCreate,
} from '../models.js';
import { where } from '../conditions/index.js';
import type {
  CountOptions,
  ListOptions,
  ListPage,
  ManageTransport,
  PageOptions,
  RequestOptions,
} from './manage-client.js';
import type { ManageList } from './manage-list.js';
import type { ConditionsInput } from './query.js';
import { textOf } from './query.js';

/** List, one page, and count of a top-level collection. */
export interface CollectionApi<T> {
  /** Every matching record, page by page (default 1,000 per request). */
  list(options?: ListOptions): ManageList<T>;
  /** One page (ConnectWise's default page size is 25 unless `pageSize` is given). */
  listPage(options?: PageOptions): Promise<ListPage<T>>;
  /** `…/count` with the same conditions. */
  count(options?: CountOptions): Promise<number>;
}

/** `/company/companies` and company statuses. */
export interface CompaniesApi extends CollectionApi<Company> {
  get(id: number, options?: RequestOptions): Promise<Company>;
  /**
   * The company whose `identifier` (the Company ID shown in Manage) equals `identifier` exactly,
   * or undefined; a live company wins over a deleted one with the same identifier. Quotes,
   * backslashes and words like `and` in the identifier are escaped.
   */
  findByIdentifier(identifier: string, options?: RequestOptions): Promise<Company | undefined>;
  /** `/company/companies/statuses`: which statuses are inactive or disallow saving. */
  statuses(options?: ListOptions): ManageList<CompanyStatus>;
}

/** `/company/contacts`. */
export interface ContactsApi extends CollectionApi<Contact> {
  get(id: number, options?: RequestOptions): Promise<Contact>;
}

/** The body of `POST /service/tickets/search` (reference §4.4, `FilterValues`). */
export interface TicketSearch {
  readonly conditions?: ConditionsInput;
  readonly orderBy?: string;
  readonly childConditions?: ConditionsInput;
  readonly customFieldConditions?: ConditionsInput;
}

/** Options of a search: paging and shape; the filter goes in the body. */
export type SearchOptions = Omit<
  ListOptions,
  'conditions' | 'childConditions' | 'customFieldConditions' | 'orderBy' | 'paging'
>;

/** `/service/tickets`. */
export interface TicketsApi extends CollectionApi<Ticket> {
  get(id: number, options?: RequestOptions): Promise<Ticket>;
  /**
   * `POST /service/tickets`. Never retried once it may have reached ConnectWise: a lost answer
   * throws ManageOutcomeUnknownError; reconcile with {@link TicketsApi.findByExternalXRef}.
   */
  create(ticket: TicketCreate, options?: RequestOptions): Promise<Ticket>;
  /** `PATCH /service/tickets/{id}` with `[{ op, path, value }]` (reference §3.12). */
  patch(
    id: number,
    operations: readonly PatchOperation[],
    options?: RequestOptions,
  ): Promise<Ticket>;
  /** `POST /service/tickets/search`, for filters too long for a URL; read-only, so retried. */
  search(filter: TicketSearch, options?: SearchOptions): ManageList<Ticket>;
  /** Every service ticket whose `externalXRef` equals `externalXRef` exactly (merged ones too). */
  findByExternalXRef(externalXRef: string, options?: RequestOptions): Promise<Ticket[]>;
}

/** `/service/tickets/{ticketId}/notes`. */
export interface TicketNotesApi {
  list(ticketId: number, options?: ListOptions): ManageList<ServiceNote>;
  listPage(ticketId: number, options?: PageOptions): Promise<ListPage<ServiceNote>>;
  count(ticketId: number, options?: CountOptions): Promise<number>;
  /** `POST …/notes`; like a ticket create, never retried once it may have been applied. */
  create(ticketId: number, note: ServiceNoteCreate, options?: RequestOptions): Promise<ServiceNote>;
}

/** `/service/boards` and the setup tables under a board. */
export interface BoardsApi {
  list(options?: ListOptions): ManageList<Board>;
  listPage(options?: PageOptions): Promise<ListPage<Board>>;
  get(id: number, options?: RequestOptions): Promise<Board>;
  statuses(boardId: number, options?: ListOptions): ManageList<BoardStatus>;
  types(boardId: number, options?: ListOptions): ManageList<BoardType>;
  subtypes(boardId: number, options?: ListOptions): ManageList<BoardSubType>;
  items(boardId: number, options?: ListOptions): ManageList<BoardItem>;
  teams(boardId: number, options?: ListOptions): ManageList<BoardTeam>;
  /** The valid type/subtype/item combinations of a board. */
  typeSubTypeItemAssociations(
    boardId: number,
    options?: ListOptions,
  ): ManageList<BoardTypeSubTypeItemAssociation>;
}

/** `/service/priorities`. */
export interface PrioritiesApi {
  list(options?: ListOptions): ManageList<Priority>;
  listPage(options?: PageOptions): Promise<ListPage<Priority>>;
}

/** `/project/tickets`. */
export interface ProjectTicketsApi extends CollectionApi<ProjectTicket> {
  get(id: number, options?: RequestOptions): Promise<ProjectTicket>;
}

export function companiesApi(t: ManageTransport): CompaniesApi {
  return {
    list: (options) => t.list({ endpoint: 'listCompanies' }, options),
    listPage: (options) => t.page({ endpoint: 'listCompanies' }, options),
    count: (options) => t.count({ endpoint: 'countCompanies' }, options),
    get: (id, options) => t.call({ endpoint: 'getCompany', params: { id } }, options),
    async findByIdentifier(identifier, options = {}) {
      // Manage keeps deleted companies (deletedFlag) and lets a new one reuse their identifier,
      // so a live company wins over a deleted one with the same identifier.
      const matches = await t
        .list<Company>(
          { endpoint: 'listCompanies' },
          { ...options, conditions: where.eq('identifier', identifier), pageSize: 25 },
        )
        .toArray({ maxRecords: 1_000 });
      const exact = matches.filter((company) => company.identifier === identifier);
      return exact.find((company) => company.deletedFlag !== true) ?? exact[0];
    },
    statuses: (options) => t.list({ endpoint: 'listCompanyStatuses' }, options),
  };
}

export function contactsApi(t: ManageTransport): ContactsApi {
  return {
    list: (options) => t.list({ endpoint: 'listContacts' }, options),
    listPage: (options) => t.page({ endpoint: 'listContacts' }, options),
    count: (options) => t.count({ endpoint: 'countContacts' }, options),
    get: (id, options) => t.call({ endpoint: 'getContact', params: { id } }, options),
  };
}

export function ticketsApi(t: ManageTransport): TicketsApi {
  return {
    list: (options) => t.list({ endpoint: 'listTickets' }, options),
    listPage: (options) => t.page({ endpoint: 'listTickets' }, options),
    count: (options) => t.count({ endpoint: 'countTickets' }, options),
    get: (id, options) => t.call({ endpoint: 'getTicket', params: { id } }, options),
    create: (ticket, options) => t.call({ endpoint: 'createTicket', body: ticket }, options),
    patch: (id, operations, options) =>
      t.call({ endpoint: 'patchTicket', params: { id }, body: operations }, options),
    search: (filter, options) =>
      t.list({ endpoint: 'searchTickets', body: filterValues(filter), idempotent: true }, options),
    findByExternalXRef: (externalXRef, options = {}) =>
      t
        .list<Ticket>(
          { endpoint: 'listTickets' },
          { ...options, conditions: where.eq('externalXRef', externalXRef) },
        )
        .toArray()
        .then((tickets) => tickets.filter((ticket) => ticket.externalXRef === externalXRef)),
  };
}

export function ticketNotesApi(t: ManageTransport): TicketNotesApi {
  return {
    list: (ticketId, options) =>
      t.list({ endpoint: 'listTicketNotes', params: { parentId: ticketId } }, options),
    listPage: (ticketId, options) =>
      t.page({ endpoint: 'listTicketNotes', params: { parentId: ticketId } }, options),
    count: (ticketId, options) =>
      t.count({ endpoint: 'countTicketNotes', params: { parentId: ticketId } }, options),
    create: (ticketId, note, options) =>
      t.call({ endpoint: 'createTicketNote', params: { parentId: ticketId }, body: note }, options),
  };
}

export function boardsApi(t: ManageTransport): BoardsApi {
  const child =
    <T>(
      endpoint:
        | 'listBoardStatuses'
        | 'listBoardTypes'
        | 'listBoardSubTypes'
        | 'listBoardItems'
        | 'listBoardTeams'
        | 'listBoardAssociations',
    ) =>
    (boardId: number, options?: ListOptions): ManageList<T> =>
      t.list<T>({ endpoint, params: { parentId: boardId } }, options);
  return {
    list: (options) => t.list({ endpoint: 'listBoards' }, options),
    listPage: (options) => t.page({ endpoint: 'listBoards' }, options),
    get: (id, options) => t.call({ endpoint: 'getBoard', params: { id } }, options),
    statuses: child<BoardStatus>('listBoardStatuses'),
    types: child<BoardType>('listBoardTypes'),
    subtypes: child<BoardSubType>('listBoardSubTypes'),
    items: child<BoardItem>('listBoardItems'),
    teams: child<BoardTeam>('listBoardTeams'),
    typeSubTypeItemAssociations: child<BoardTypeSubTypeItemAssociation>('listBoardAssociations'),
  };
}

export function prioritiesApi(t: ManageTransport): PrioritiesApi {
  return {
    list: (options) => t.list({ endpoint: 'listPriorities' }, options),
    listPage: (options) => t.page({ endpoint: 'listPriorities' }, options),
  };
}

export function projectTicketsApi(t: ManageTransport): ProjectTicketsApi {
  return {
    list: (options) => t.list({ endpoint: 'listProjectTickets' }, options),
    listPage: (options) => t.page({ endpoint: 'listProjectTickets' }, options),
    count: (options) => t.count({ endpoint: 'countProjectTickets' }, options),
    get: (id, options) => t.call({ endpoint: 'getProjectTicket', params: { id } }, options),
  };
}

/** `FilterValues`; the spec spells the child and custom-field keys in lower case (§4.4). */
function filterValues(filter: TicketSearch): Record<string, string> {
  const body: Record<string, string> = {};
  const conditions = textOf(filter.conditions);
  const childConditions = textOf(filter.childConditions);
  const customFieldConditions = textOf(filter.customFieldConditions);
  if (conditions !== undefined) body.conditions = conditions;
  if (filter.orderBy !== undefined) body.orderBy = filter.orderBy;
  if (childConditions !== undefined) body.childconditions = childConditions;
  if (customFieldConditions !== undefined) body.customfieldconditions = customFieldConditions;
  return body;
}
