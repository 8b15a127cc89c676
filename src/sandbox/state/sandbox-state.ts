/**
 * The sandbox's in-memory Manage tenant: every table, the tenant settings, and the typed
 * mutators tests use to set up scenarios ("the company was deactivated", "the key was revoked",
 * "a technician closed the ticket"). Handlers and mutators go through the same methods, so a
 * scenario set up here looks to a client exactly like one made through the API.
 */
import { randomUUID } from 'node:crypto';

import type { AccessLevel } from '../../connectwise/models.js';
import type { ModuleFunctionKey, PermissionAction } from '../../connectwise/permissions.js';
import { CLASSIC_CODEBASE } from '../../connectwise/endpoints.js';
import type { SandboxBehaviour } from '../behaviour.js';
import { resolveBehaviour } from '../behaviour.js';
import { contactName, cwDate } from './format.js';
import type {
  ApiKeyRecord,
  BoardAssociationRecord,
  BoardItemRecord,
  BoardRecord,
  BoardStatusRecord,
  BoardSubTypeRecord,
  BoardTeamRecord,
  BoardTypeRecord,
  CommunicationItemRecord,
  CompanyRecord,
  CompanyStatusRecord,
  CompanyTypeRecord,
  ContactRecord,
  MemberRecord,
  NoteRecord,
  PriorityRecord,
  ProjectTicketRecord,
  SecurityRoleRecord,
  StoredInfo,
  TicketRecord,
} from './records.js';
import { RequestJournal } from './request-journal.js';
import { Table } from './table.js';

/** The Manage tenant as `companyinfo` and `/system/info` describe it. */
export interface TenantSettings {
  companyId: string;
  companyName: string;
  /** Current versioned codebase, ending in `/`. */
  codebase: string;
  version: string;
  isCloud: boolean;
  siteUrl?: string;
  cloudRegion: string;
  serverTimeZone: string;
  clientIds: Set<string>;
}

/** A company named by id or by identifier (an active company wins over a soft-deleted twin). */
export type CompanyKey = number | string;
/** A board, status, team… named by id or by name. */
export type NamedKey = number | string;

/** The fields of a ticket a write decides; the store derives the rest. */
export type TicketFields = Omit<
  TicketRecord,
  'id' | 'recordType' | 'closedFlag' | 'closedDate' | 'closedBy' | 'mobileGuid' | '_info'
>;

/** A note to add: its text and which of the three kinds it is (§3.6). */
export interface NoteInput {
  text: string;
  detailDescriptionFlag?: boolean;
  internalAnalysisFlag?: boolean;
  resolutionFlag?: boolean;
  issueFlag?: boolean;
  contact?: { id: number; name?: string };
}

/** Thrown by a mutator given a record that does not exist. */
export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStateError';
  }
}

export class SandboxState {
  readonly tenant: TenantSettings;
  /** Live switches: change them with {@link setBehaviour} while the server runs. */
  behaviour: SandboxBehaviour;
  readonly journal = new RequestJournal();
  readonly now: () => Date;

  readonly securityRoles = new Table<SecurityRoleRecord>({ name: 'text' });
  readonly members = new Table<MemberRecord>({ identifier: 'text' });
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly companyStatuses = new Table<CompanyStatusRecord>({ name: 'text' });
  readonly companyTypes = new Table<CompanyTypeRecord>({ name: 'text' });
  readonly companies = new Table<CompanyRecord>({
    identifier: 'text',
    name: 'text',
    'status/id': 'number',
  });
  readonly contacts = new Table<ContactRecord>({ 'company/id': 'number' });
  readonly boards = new Table<BoardRecord>({ name: 'text' });
  readonly boardStatuses = new Table<BoardStatusRecord>({ 'board/id': 'number' });
  readonly boardTypes = new Table<BoardTypeRecord>({ 'board/id': 'number' });
  readonly boardSubTypes = new Table<BoardSubTypeRecord>({ 'board/id': 'number' });
  readonly boardItems = new Table<BoardItemRecord>({ 'board/id': 'number' });
  readonly boardTeams = new Table<BoardTeamRecord>({ boardId: 'number' });
  readonly boardAssociations = new Table<BoardAssociationRecord>({ 'board/id': 'number' });
  readonly priorities = new Table<PriorityRecord>();
  readonly tickets = new Table<TicketRecord>({
    'company/id': 'number',
    'company/identifier': 'text',
    externalXRef: 'text',
    'board/id': 'number',
    'status/id': 'number',
  });
  readonly notes = new Table<NoteRecord>({ ticketId: 'number' });
  readonly projectTickets = new Table<ProjectTicketRecord>({
    'company/id': 'number',
    externalXRef: 'text',
  });

  /** Versioned codebases the tenant was on before an upgrade: they now 404 (§2.2, §6). */
  readonly retiredCodebases = new Set<string>();
  /** Service and project tickets share one id sequence, like ConnectWise's ticket table. */
  #lastTicketId = 0;
  /** The member identifier fixture records and technician actions are attributed to. */
  technician = 'admin';

  constructor(
    tenant: TenantSettings,
    behaviour: Partial<SandboxBehaviour> = {},
    now: () => Date = () => new Date(),
  ) {
    this.tenant = tenant;
    this.behaviour = resolveBehaviour(behaviour);
    this.now = now;
  }

  /** The current time in ConnectWise's format. */
  timestamp(): string {
    return cwDate(this.now());
  }

  /** `_info` for a record written now by `by`. */
  newInfo(by: string, at = this.timestamp()): StoredInfo {
    return { lastUpdated: at, updatedBy: by, dateEntered: at, enteredBy: by };
  }

  touch(info: StoredInfo, by: string): void {
    info.lastUpdated = this.timestamp();
    info.updatedBy = by;
  }

  nextTicketId(floor = 1): number {
    this.#lastTicketId = Math.max(this.#lastTicketId + 1, floor);
    return this.#lastTicketId;
  }

  /** Records a ticket id taken by a fixture, so generated ids never collide with it. */
  reserveTicketId(id: number): void {
    this.#lastTicketId = Math.max(this.#lastTicketId, id);
  }

  // ---- Tenant ------------------------------------------------------------------------------

  /** Flips behaviour switches on the running sandbox. */
  setBehaviour(partial: Partial<SandboxBehaviour>): void {
    this.behaviour = resolveBehaviour({ ...this.behaviour, ...partial });
  }

  /** Codebases that serve the API now: the classic one and the tenant's current one. */
  servesCodebase(codebase: string): boolean {
    return codebase === CLASSIC_CODEBASE || codebase === this.tenant.codebase;
  }

  /**
   * A cloud upgrade: the tenant moves to `codebase` (e.g. `v2025_2/`) and its previous versioned
   * codebase stops answering, as after `v2024_1` → `v2025_1` (§2.2, §6).
   */
  setCodebase(codebase: string): void {
    if (!/^v[0-9A-Za-z_.]+\/$/.test(codebase)) {
      throw new SandboxStateError(`codebase ${codebase} must look like "v2025_2/"`);
    }
    if (this.tenant.codebase !== CLASSIC_CODEBASE) this.retiredCodebases.add(this.tenant.codebase);
    this.retiredCodebases.delete(codebase);
    this.tenant.codebase = codebase;
  }

  registerClientId(clientId: string): void {
    this.tenant.clientIds.add(clientId);
  }

  revokeClientId(clientId: string): void {
    this.tenant.clientIds.delete(clientId);
  }

  // ---- Security ----------------------------------------------------------------------------

  role(key: NamedKey): SecurityRoleRecord {
    const role =
      typeof key === 'number'
        ? this.securityRoles.get(key)
        : this.securityRoles.lookup('name', key)[0];
    if (!role) throw new SandboxStateError(`no security role ${JSON.stringify(key)}`);
    return role;
  }

  /**
   * Sets one level of a role, e.g. `setRoleLevel('psabridge Integration', 'serviceTickets',
   * 'edit', 'None')`; `action` `'all'` sets the four actions at once.
   */
  setRoleLevel(
    role: NamedKey,
    fn: ModuleFunctionKey,
    action: PermissionAction | 'all',
    level: AccessLevel,
  ): void {
    const record = this.role(role);
    const levels = record.permissions[fn];
    const actions: PermissionAction[] =
      action === 'all' ? ['add', 'edit', 'delete', 'inquire'] : [action];
    for (const a of actions) levels[a] = level;
    this.touch(record._info, this.technician);
  }

  /** The level the member's role grants; `None` for an unknown role. */
  levelFor(member: MemberRecord, fn: ModuleFunctionKey, action: PermissionAction): AccessLevel {
    return this.securityRoles.get(member.securityRole.id)?.permissions[fn][action] ?? 'None';
  }

  member(key: NamedKey): MemberRecord {
    const member =
      typeof key === 'number' ? this.members.get(key) : this.members.lookup('identifier', key)[0];
    if (!member) throw new SandboxStateError(`no member ${JSON.stringify(key)}`);
    return member;
  }

  /** The member a key pair authenticates, or `undefined` (wrong, revoked, or inactive member). */
  authenticate(publicKey: string, privateKey: string): MemberRecord | undefined {
    const key = this.apiKeys.get(publicKey);
    if (!key || key.privateKey !== privateKey) return undefined;
    const member = this.members.get(key.memberId);
    return member && !member.inactiveFlag ? member : undefined;
  }

  /** Revokes an API key: its next request gets 401. */
  revokeApiKey(publicKey: string): void {
    if (!this.apiKeys.delete(publicKey)) throw new SandboxStateError(`no API key ${publicKey}`);
  }

  addApiKey(member: NamedKey, key: { publicKey: string; privateKey: string }): void {
    if (this.apiKeys.has(key.publicKey)) {
      throw new SandboxStateError(`API key ${key.publicKey} already exists`);
    }
    this.apiKeys.set(key.publicKey, { ...key, memberId: this.member(member).id });
  }

  /** Sets a member's role by role name or id. */
  setMemberRole(member: NamedKey, role: NamedKey): void {
    const record = this.member(member);
    const target = this.role(role);
    this.members.update(record.id, (m) => {
      m.securityRole = { id: target.id, name: target.name };
    });
  }

  setMemberInactive(member: NamedKey, inactive = true): void {
    this.members.update(this.member(member).id, (m) => {
      m.inactiveFlag = inactive;
    });
  }

  // ---- Companies and contacts --------------------------------------------------------------

  /** A company by id or identifier; an active one wins over soft-deleted twins. */
  findCompany(key: CompanyKey): CompanyRecord | undefined {
    if (typeof key === 'number') return this.companies.get(key);
    const lower = key.toLowerCase();
    const matches = this.companies
      .lookup('identifier', key)
      .filter((c) => c.identifier.toLowerCase() === lower);
    return matches.find((c) => !c.deletedFlag) ?? matches[0];
  }

  company(key: CompanyKey): CompanyRecord {
    const company = this.findCompany(key);
    if (!company) throw new SandboxStateError(`no company ${JSON.stringify(key)}`);
    return company;
  }

  companyStatus(key: NamedKey): CompanyStatusRecord {
    const status =
      typeof key === 'number'
        ? this.companyStatuses.get(key)
        : this.companyStatuses.lookup('name', key)[0];
    if (!status) throw new SandboxStateError(`no company status ${JSON.stringify(key)}`);
    return status;
  }

  setCompanyStatus(company: CompanyKey, status: NamedKey): void {
    const target = this.companyStatus(status);
    this.companies.update(this.company(company).id, (c) => {
      c.status = { id: target.id, name: target.name };
      this.touch(c._info, this.technician);
    });
  }

  /** Moves the company to an inactive status (one is created if the tenant has none). */
  deactivateCompany(company: CompanyKey): void {
    let inactive = [...this.companyStatuses.values()].find((s) => s.inactiveFlag);
    if (!inactive) {
      inactive = this.companyStatuses.insert({
        id: this.companyStatuses.nextId(),
        name: 'Inactive',
        defaultFlag: false,
        inactiveFlag: true,
        notifyFlag: false,
        disallowSavingFlag: false,
        customNoteFlag: false,
        cancelOpenTracksFlag: false,
        _info: this.newInfo(this.technician),
      });
    }
    this.setCompanyStatus(company, inactive.id);
  }

  /** Moves the company back to the default (active) status. */
  activateCompany(company: CompanyKey): void {
    const active =
      [...this.companyStatuses.values()].find((s) => s.defaultFlag && !s.inactiveFlag) ??
      [...this.companyStatuses.values()].find((s) => !s.inactiveFlag);
    if (!active) throw new SandboxStateError('the tenant has no active company status');
    this.setCompanyStatus(company, active.id);
  }

  /** Soft delete (§3.3): the company stays listed with `deletedFlag: true`. */
  softDeleteCompany(company: CompanyKey): void {
    this.companies.update(this.company(company).id, (c) => {
      c.deletedFlag = true;
      c.dateDeleted = this.timestamp();
      c.deletedBy = this.technician;
      this.touch(c._info, this.technician);
    });
  }

  /**
   * The company a request body names, as ConnectWise resolves it (§3.1): by `id`, else
   * `identifier`, else `name`; soft-deleted companies are not found.
   */
  companyByReference(ref: {
    id?: number;
    identifier?: string;
    name?: string;
  }): CompanyRecord | undefined {
    let company: CompanyRecord | undefined;
    if (ref.id !== undefined) company = this.companies.get(ref.id);
    else if (ref.identifier !== undefined) company = this.findCompany(ref.identifier);
    else if (ref.name !== undefined) {
      return this.companies.lookup('name', ref.name).find((c) => !c.deletedFlag);
    }
    return company && !company.deletedFlag ? company : undefined;
  }

  /** Whether tickets may be saved for the company (status neither inactive nor blocking). */
  companyIsActive(company: CompanyRecord): boolean {
    const status = this.companyStatuses.get(company.status.id);
    return !company.deletedFlag && !!status && !status.inactiveFlag && !status.disallowSavingFlag;
  }

  addCompany(input: {
    identifier: string;
    name: string;
    status?: NamedKey;
    deletedFlag?: boolean;
  }): CompanyRecord {
    const status = input.status
      ? this.companyStatus(input.status)
      : ([...this.companyStatuses.values()].find((s) => s.defaultFlag) ??
        [...this.companyStatuses.values()][0]);
    if (!status) throw new SandboxStateError('define a company status first');
    return this.companies.insert({
      id: this.companies.nextId(),
      identifier: input.identifier,
      name: input.name,
      status: { id: status.id, name: status.name },
      leadFlag: false,
      unsubscribeFlag: false,
      deletedFlag: input.deletedFlag ?? false,
      mobileGuid: randomUUID(),
      isVendorFlag: false,
      types: [],
      _info: this.newInfo(this.technician),
    });
  }

  contactsOf(company: CompanyKey): ContactRecord[] {
    return this.contacts.lookup('company/id', this.company(company).id);
  }

  /**
   * Adds a contact; the first contact of a company without one becomes its default. `email` and
   * `phone` are shorthands for default communication items.
   */
  addContact(input: {
    company: CompanyKey;
    firstName: string;
    lastName?: string;
    email?: string;
    phone?: string;
    communicationItems?: Omit<CommunicationItemRecord, 'id'>[];
    defaultFlag?: boolean;
    inactiveFlag?: boolean;
    title?: string;
    by?: string;
    /** Default the next free id. */
    id?: number;
  }): ContactRecord {
    const company = this.company(input.company);
    const given: Omit<CommunicationItemRecord, 'id'>[] = [...(input.communicationItems ?? [])];
    if (input.email) {
      given.push({
        type: { id: 1, name: 'Email' },
        value: input.email,
        defaultFlag: true,
        communicationType: 'Email',
      });
    }
    if (input.phone) {
      given.push({
        type: { id: 2, name: 'Direct' },
        value: input.phone,
        defaultFlag: true,
        communicationType: 'Phone',
      });
    }
    const by = input.by ?? this.technician;
    const contact = this.contacts.insert({
      id: input.id ?? this.contacts.nextId(),
      firstName: input.firstName,
      ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      company: { id: company.id, identifier: company.identifier, name: company.name },
      inactiveFlag: input.inactiveFlag ?? false,
      marriedFlag: false,
      childrenFlag: false,
      disablePortalLoginFlag: true,
      unsubscribeFlag: false,
      mobileGuid: randomUUID(),
      defaultBillingFlag: false,
      defaultFlag: input.defaultFlag ?? false,
      communicationItems: given.map((item, i) => ({ id: i + 1, ...item })),
      types: [],
      ignoreDuplicates: false,
      _info: this.newInfo(by),
    });
    if (contact.defaultFlag || !company.defaultContact) {
      this.setDefaultContact(company.id, contact.id);
    }
    return contact;
  }

  setDefaultContact(company: CompanyKey, contactId: number): void {
    const contact = this.contacts.get(contactId);
    if (!contact) throw new SandboxStateError(`no contact ${contactId}`);
    const record = this.company(company);
    for (const other of this.contacts.lookup('company/id', record.id)) other.defaultFlag = false;
    contact.defaultFlag = true;
    this.companies.update(record.id, (c) => {
      c.defaultContact = { id: contact.id, name: contactName(contact) };
    });
  }

  /** Deletes every contact of the company and clears its default contact. Returns the count. */
  removeCompanyContacts(company: CompanyKey): number {
    const record = this.company(company);
    const contacts = this.contacts.lookup('company/id', record.id);
    for (const contact of contacts) this.contacts.delete(contact.id);
    this.companies.update(record.id, (c) => {
      delete c.defaultContact;
      this.touch(c._info, this.technician);
    });
    return contacts.length;
  }

  // ---- Boards ------------------------------------------------------------------------------

  findBoard(key: NamedKey): BoardRecord | undefined {
    if (typeof key === 'number') return this.boards.get(key);
    const lower = key.toLowerCase();
    return this.boards.lookup('name', key).find((b) => b.name.toLowerCase() === lower);
  }

  board(key: NamedKey): BoardRecord {
    const board = this.findBoard(key);
    if (!board) throw new SandboxStateError(`no board ${JSON.stringify(key)}`);
    return board;
  }

  statusesOf(board: number): BoardStatusRecord[] {
    return this.boardStatuses.lookup('board/id', board);
  }

  teamsOf(board: number): BoardTeamRecord[] {
    return this.boardTeams.lookup('boardId', board);
  }

  boardStatus(board: NamedKey, status: NamedKey): BoardStatusRecord {
    const found = byKey(this.statusesOf(this.board(board).id), status);
    if (!found) throw new SandboxStateError(`no status ${JSON.stringify(status)} on that board`);
    return found;
  }

  /** The status a ticket gets when none is named: the default, else the first active by sort. */
  defaultStatusOf(board: number): BoardStatusRecord | undefined {
    const active = this.statusesOf(board)
      .filter((s) => !s.inactive)
      .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    return active.find((s) => s.defaultFlag) ?? active[0];
  }

  defaultTeamOf(board: number): BoardTeamRecord | undefined {
    return this.teamsOf(board).find((t) => t.defaultFlag);
  }

  /** Deletes a board and everything under it (tickets on it keep their reference). */
  deleteBoard(board: NamedKey): void {
    const id = this.board(board).id;
    for (const table of [
      this.boardStatuses,
      this.boardTypes,
      this.boardSubTypes,
      this.boardItems,
      this.boardAssociations,
    ] as Table<{ id: number; board: { id: number } }>[]) {
      for (const row of table.lookup('board/id', id)) table.delete(row.id);
    }
    for (const team of this.teamsOf(id)) this.boardTeams.delete(team.id);
    this.boards.delete(id);
  }

  deleteBoardStatus(board: NamedKey, status: NamedKey): void {
    this.boardStatuses.delete(this.boardStatus(board, status).id);
  }

  setBoardStatusInactive(board: NamedKey, status: NamedKey, inactive = true): void {
    this.boardStatuses.update(this.boardStatus(board, status).id, (s) => {
      s.inactive = inactive;
    });
  }

  /** Makes `team` the board's only default team; `null` leaves the board without one. */
  setBoardDefaultTeam(board: NamedKey, team: NamedKey | null): void {
    const boardId = this.board(board).id;
    const teams = this.teamsOf(boardId);
    const target = team === null ? undefined : byKey(teams, team);
    if (team !== null && !target) {
      throw new SandboxStateError(`no team ${JSON.stringify(team)} on board ${boardId}`);
    }
    for (const t of teams) {
      this.boardTeams.update(t.id, (row) => {
        row.defaultFlag = row.id === target?.id;
      });
    }
  }

  setBoardInactive(board: NamedKey, inactive = true): void {
    this.boards.update(this.board(board).id, (b) => {
      b.inactiveFlag = inactive;
    });
  }

  // ---- Tickets -----------------------------------------------------------------------------

  getTicket(id: number): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  /** Service tickets in id order, optionally of one company or with one `externalXRef`. */
  listTickets(filter: { company?: CompanyKey; externalXRef?: string } = {}): TicketRecord[] {
    let rows: TicketRecord[];
    if (filter.company !== undefined) {
      rows = this.tickets.lookup('company/id', this.company(filter.company).id);
    } else if (filter.externalXRef !== undefined) {
      rows = this.tickets.lookup('externalXRef', filter.externalXRef);
    } else {
      rows = [...this.tickets.values()];
    }
    return filter.externalXRef === undefined
      ? rows
      : rows.filter((t) => t.externalXRef === filter.externalXRef);
  }

  /** The notes of a ticket, oldest first (the initial description is the first). */
  listNotes(ticketId: number): NoteRecord[] {
    return this.notes.lookup('ticketId', ticketId);
  }

  /**
   * Stores a new service ticket; `closedFlag` follows the status (§3.5).
   * @param info `_info` to keep (fixtures); default entered now by `by`.
   */
  insertTicket(
    fields: TicketFields,
    by: string,
    id = this.nextTicketId(),
    info?: StoredInfo,
  ): TicketRecord {
    const _info = info ?? this.newInfo(by);
    const ticket = orderedTicket(id, fields, {
      closedFlag: false,
      mobileGuid: randomUUID(),
      _info,
    });
    this.#applyClosure(ticket, by, _info.lastUpdated);
    return this.tickets.insert(ticket);
  }

  /** Replaces the writable fields of a ticket (PUT, PATCH, technician edits). */
  replaceTicket(id: number, fields: TicketFields, by: string): TicketRecord {
    const updated = this.tickets.update(id, (t) => {
      const kept: Pick<
        TicketRecord,
        'closedFlag' | 'closedDate' | 'closedBy' | 'mobileGuid' | '_info'
      > = {
        closedFlag: t.closedFlag,
        ...(t.closedDate !== undefined ? { closedDate: t.closedDate } : {}),
        ...(t.closedBy !== undefined ? { closedBy: t.closedBy } : {}),
        mobileGuid: t.mobileGuid,
        _info: t._info,
      };
      for (const key of Object.keys(t)) delete (t as unknown as Record<string, unknown>)[key];
      Object.assign(t, orderedTicket(id, fields, kept));
      this.#applyClosure(t, by);
      this.touch(t._info, by);
    });
    if (!updated) throw new SandboxStateError(`no ticket ${id}`);
    return updated;
  }

  deleteTicket(id: number): void {
    if (!this.tickets.delete(id)) throw new SandboxStateError(`no ticket ${id}`);
    for (const note of this.listNotes(id)) this.notes.delete(note.id);
  }

  /**
   * A technician changes the status, e.g. closes the ticket in Manage. The status is named on
   * the ticket's board.
   */
  setTicketStatus(id: number, status: NamedKey, by = this.technician): TicketRecord {
    const ticket = this.#ticket(id);
    const target = this.boardStatus(ticket.board.id, status);
    return this.replaceTicket(
      id,
      {
        ...ticketFields(ticket),
        status: { id: target.id, name: target.name, sort: target.sortOrder },
      },
      by,
    );
  }

  /** A technician moves the ticket to another board (its default status, team cleared). */
  moveTicket(id: number, board: NamedKey, status?: NamedKey, by = this.technician): TicketRecord {
    const ticket = this.#ticket(id);
    const target = this.board(board);
    const targetStatus =
      status === undefined ? this.defaultStatusOf(target.id) : this.boardStatus(target.id, status);
    if (!targetStatus) throw new SandboxStateError(`board ${target.id} has no active status`);
    const fields = ticketFields(ticket);
    delete fields.type;
    delete fields.subType;
    delete fields.item;
    const team = this.defaultTeamOf(target.id);
    if (team) fields.team = { id: team.id, name: team.name };
    else delete fields.team;
    return this.replaceTicket(
      id,
      {
        ...fields,
        board: { id: target.id, name: target.name },
        status: { id: targetStatus.id, name: targetStatus.name, sort: targetStatus.sortOrder },
      },
      by,
    );
  }

  /**
   * A technician merges `childId` into `parentId`: the child is closed with the board's first
   * closed status and points at its parent through `mergedParentTicket`.
   */
  mergeTicket(childId: number, parentId: number, by = this.technician): TicketRecord {
    const child = this.#ticket(childId);
    const parent = this.#ticket(parentId);
    const closed = this.statusesOf(child.board.id).find((s) => s.closedStatus && !s.inactive);
    if (!closed) throw new SandboxStateError(`board ${child.board.id} has no closed status`);
    this.replaceTicket(
      childId,
      {
        ...ticketFields(child),
        status: { id: closed.id, name: closed.name, sort: closed.sortOrder },
        mergedParentTicket: { id: parent.id, summary: parent.summary },
      },
      by,
    );
    this.tickets.update(parentId, (p) => {
      p.hasMergedChildTicketFlag = true;
      this.touch(p._info, by);
    });
    return this.#ticket(childId);
  }

  /** Adds a note as `by` (a technician by default); the ticket's `lastUpdated` moves too. */
  addNote(ticketId: number, input: NoteInput, by = this.technician): NoteRecord {
    const ticket = this.#ticket(ticketId);
    const member = this.members.lookup('identifier', by)[0];
    const at = this.timestamp();
    const detail = input.detailDescriptionFlag ?? false;
    const internal = input.internalAnalysisFlag ?? false;
    const resolution = input.resolutionFlag ?? false;
    const note = this.notes.insert({
      // Note ids run in a range of their own, far from ticket ids, as in real tenants.
      id: this.notes.nextId(500_001),
      ticketId,
      text: input.text,
      detailDescriptionFlag: detail,
      internalAnalysisFlag: internal,
      resolutionFlag: resolution,
      issueFlag: input.issueFlag ?? false,
      ...(member
        ? { member: { id: member.id, identifier: member.identifier, name: member.name } }
        : {}),
      ...(input.contact ? { contact: input.contact } : {}),
      customerUpdatedFlag: false,
      dateCreated: at,
      createdBy: by,
      // Derived as in the captured note (§3.6): an internal analysis is internal; a discussion
      // or resolution is visible to the customer.
      internalFlag: internal,
      externalFlag: detail || resolution,
      _info: { lastUpdated: at, updatedBy: by },
    });
    this.tickets.update(ticket.id, (t) => this.touch(t._info, by));
    return note;
  }

  getProjectTicket(id: number): ProjectTicketRecord | undefined {
    return this.projectTickets.get(id);
  }

  #ticket(id: number): TicketRecord {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new SandboxStateError(`no ticket ${id}`);
    return ticket;
  }

  /** `closedFlag`, `closedDate` and `closedBy` follow the status's `closedStatus`. */
  #applyClosure(ticket: TicketRecord, by: string, at?: string): void {
    const closed = this.boardStatuses.get(ticket.status.id)?.closedStatus ?? false;
    if (closed && !ticket.closedFlag) {
      ticket.closedFlag = true;
      ticket.closedDate = at ?? this.timestamp();
      ticket.closedBy = by;
    } else if (!closed) {
      ticket.closedFlag = false;
      delete ticket.closedDate;
      delete ticket.closedBy;
    }
  }
}

/** The flags a new ticket starts with when the body does not set them. */
export const NEW_TICKET_FLAGS = Object.freeze({
  allowAllClientsPortalView: false,
  customerUpdatedFlag: false,
  automaticEmailContactFlag: false,
  automaticEmailResourceFlag: false,
  automaticEmailCcFlag: false,
  approved: true,
  hasChildTicket: false,
  hasMergedChildTicketFlag: false,
} satisfies Partial<TicketFields>);

/** Fields a replace keeps: identity, closure bookkeeping and metadata. */
const KEPT_ON_REPLACE = new Set<keyof TicketRecord>([
  'id',
  'recordType',
  'closedFlag',
  'closedDate',
  'closedBy',
  'mobileGuid',
  '_info',
]);

/** A ticket with its keys in ConnectWise's order: id, summary, recordType, the rest, metadata. */
function orderedTicket(
  id: number,
  fields: TicketFields,
  kept: Pick<TicketRecord, 'closedFlag' | 'mobileGuid' | '_info'> &
    Partial<Pick<TicketRecord, 'closedDate' | 'closedBy'>>,
): TicketRecord {
  const { summary, ...rest } = fields;
  return { id, summary, recordType: 'ServiceTicket', ...rest, ...kept };
}

/** The writable fields of a stored ticket, for a replace that changes only some of them. */
export function ticketFields(ticket: TicketRecord): TicketFields {
  const fields: Record<string, unknown> = { ...ticket };
  for (const key of KEPT_ON_REPLACE) delete fields[key];
  return structuredClone(fields) as TicketFields;
}

function byKey<T extends { id: number; name: string }>(rows: T[], key: NamedKey): T | undefined {
  if (typeof key === 'number') return rows.find((r) => r.id === key);
  const lower = key.toLowerCase();
  return rows.find((r) => r.name.toLowerCase() === lower);
}
