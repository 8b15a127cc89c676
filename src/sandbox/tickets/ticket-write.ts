/**
 * Validates a service-ticket body and resolves its references, the way ConnectWise does on POST,
 * PUT and PATCH (§3.1, §3.5, §5): references by id, name or (companies) identifier; an
 * unresolvable one is a nested `NotFound` naming the field (`status/id`); `summary` and
 * `company` are required; board, status and priority default ("the system will attempt to
 * default all required information"); the status, type, subtype, item and team must belong to
 * the ticket's board; datetimes must be `yyyy-MM-ddTHH:mm:ssZ`. Every field error is collected
 * and answered at once as `InvalidObject`.
 */
import type { Severity } from '../../connectwise/models.js';
import { CwHttpError, FieldErrors, invalidObject } from '../cw-errors.js';
import { contactFields, contactName, isCwDate } from '../state/format.js';
import type {
  BoardRecord,
  CompanyRecord,
  ContactRecord,
  CustomFieldRecord,
  MemberRecord,
  Ref,
  TicketRecord,
} from '../state/records.js';
import type { NoteInput, SandboxState, TicketFields } from '../state/sandbox-state.js';
import { NEW_TICKET_FLAGS } from '../state/sandbox-state.js';

/** A validated write: the ticket's fields and, on create, its initial notes. */
export interface TicketWrite {
  readonly fields: TicketFields;
  readonly notes: NoteInput[];
}

/**
 * `create` (POST) and `replace` (PUT) default every omitted field as a new ticket would;
 * `update` (PATCH, after the operations are applied) keeps optional fields empty when removed.
 */
export type WriteMode = 'create' | 'replace' | 'update';

const SEVERITIES: readonly Severity[] = ['Low', 'Medium', 'High'];
/** Datetime fields a ticket accepts on write. */
export const TICKET_DATE_FIELDS = ['requiredDate', 'estimatedStartDate'] as const;
/** Text fields with their spec max length. */
const TEXT_FIELDS: Readonly<Record<string, number>> = {
  externalXRef: 100,
  poNumber: 50,
  siteName: 50,
  contactName: 62,
  contactPhoneNumber: 20,
  contactEmailAddress: 250,
  automaticEmailCc: 1000,
  resources: 1000,
};
const BOOLEAN_FIELDS = [
  'allowAllClientsPortalView',
  'customerUpdatedFlag',
  'automaticEmailContactFlag',
  'automaticEmailResourceFlag',
  'automaticEmailCcFlag',
  'approved',
  'processNotifications',
  'skipCallback',
] as const;
const REFERENCE_FIELDS = [
  'company',
  'board',
  'status',
  'contact',
  'type',
  'subType',
  'item',
  'team',
  'priority',
] as const;
/** Fields ConnectWise computes; a body may carry them (a GET echoed back) and they are ignored. */
export const READ_ONLY_TICKET_FIELDS = new Set([
  'id',
  '_info',
  'recordType',
  'closedFlag',
  'closedDate',
  'closedBy',
  'mobileGuid',
  'hasChildTicket',
  'hasMergedChildTicketFlag',
  'mergedParentTicket',
  'parentTicketId',
  'owner',
  'dateEntered',
  'enteredBy',
]);
/** Every field a PATCH may name (case-sensitive, §3.12). */
export const WRITABLE_TICKET_FIELDS = new Set<string>([
  'summary',
  ...REFERENCE_FIELDS,
  'severity',
  'impact',
  'budgetHours',
  'integratorTags',
  'customFields',
  ...TICKET_DATE_FIELDS,
  ...Object.keys(TEXT_FIELDS),
  ...BOOLEAN_FIELDS,
]);

type RefInput = { id?: number; name?: string; identifier?: string };
type Body = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks datetimes first: ConnectWise fails these while reading the JSON, before validating the
 * ticket, so the answer is a top-level `UnsupportedFormat` (§3.1, [ES-REF]).
 */
export function checkDateFormats(body: Body, resource: string): void {
  for (const field of TICKET_DATE_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && isCwDate(value)) continue;
    const message = `The value ${JSON.stringify(value)} of ${field} is not a supported datetime; send UTC as yyyy-MM-ddTHH:mm:ssZ, without milliseconds.`;
    throw new CwHttpError(400, {
      code: 'UnsupportedFormat',
      message,
      errors: [{ code: 'UnsupportedFormat', message, resource, field }],
    });
  }
}

/**
 * Validates `body` and resolves it into ticket fields.
 * @param existing the ticket being written (PUT/PATCH), whose computed fields are kept.
 * @param options.defaultContact give an omitted contact the company's default even in `update`
 *   mode (a PATCH that moves the ticket to another company); default: only on create/replace.
 * @throws CwHttpError 400 `UnsupportedFormat` or `InvalidObject`.
 */
export function resolveTicketWrite(
  state: SandboxState,
  member: MemberRecord,
  body: unknown,
  mode: WriteMode,
  existing?: TicketRecord,
  options: { defaultContact?: boolean } = {},
): TicketWrite {
  if (!isPlainObject(body)) {
    throw invalidObject('ticket', [
      { code: 'InvalidObject', message: 'Send the ticket as a JSON object.', resource: 'ticket' },
    ]);
  }
  checkDateFormats(body, 'ticket');
  const errors = new FieldErrors('ticket');
  const defaults = mode !== 'update';

  // Summary: required, at most 100 characters (§3.5).
  const summary = body['summary'];
  if (summary === undefined || summary === null || summary === '') errors.required('summary');
  else if (typeof summary !== 'string') {
    errors.invalid('summary', 'The field summary must be a string.');
  } else if (summary.length > 100) errors.maxLength('summary', 100);

  if (
    body['recordType'] !== undefined &&
    body['recordType'] !== null &&
    body['recordType'] !== 'ServiceTicket'
  ) {
    errors.invalid(
      'recordType',
      'recordType must be ServiceTicket here; project tickets live under /project/tickets.',
    );
  }
  const scalars = readScalars(body, errors);
  const refs = readReferences(body, errors);

  // Company: required, must exist, not be deleted, and (per the integration page) be active.
  let company: CompanyRecord | undefined;
  if (refs.company === undefined) errors.required('company');
  else if (refs.company !== null) {
    company = state.companyByReference(refs.company);
    if (!company) {
      errors.notFound(
        refField('company', refs.company),
        `Company ${shown(refs.company)} not found`,
      );
    } else if (
      state.behaviour.inactiveCompanyTickets === 'reject' &&
      !state.companyIsActive(company)
    ) {
      errors.invalid(
        'company',
        `Company ${company.identifier} has status "${company.status.name}", which does not allow saving service tickets; make the company active first.`,
      );
    }
  }

  // Board: named, or the member's default board, or the first active service board.
  let board: BoardRecord | undefined;
  if (refs.board) {
    board =
      refs.board.id !== undefined
        ? state.boards.get(refs.board.id)
        : refs.board.name !== undefined
          ? state.findBoard(refs.board.name)
          : undefined;
    if (!board) {
      errors.notFound(
        refField('board', refs.board),
        `Service Board ${shown(refs.board)} not found`,
      );
    } else if (board.inactiveFlag) {
      errors.invalid('board', `Service Board ${board.id} (${board.name}) is inactive.`);
    }
  } else if (refs.board === undefined) {
    board = defaultBoard(state, member);
    if (!board) errors.required('board');
  }

  const fields: Partial<TicketFields> = {};
  if (board) {
    resolveOnBoard(state, board, refs, errors, fields, defaults);
  }

  // Priority: named or the default one.
  const priorities = [...state.priorities.values()];
  if (refs.priority) {
    const priority = priorities.find((p) =>
      refs.priority!.id !== undefined
        ? p.id === refs.priority!.id
        : p.name.toLowerCase() === refs.priority!.name?.toLowerCase(),
    );
    if (!priority) {
      errors.notFound(
        refField('priority', refs.priority),
        `Priority ${shown(refs.priority)} not found`,
      );
    } else fields.priority = priorityRef(priority);
  } else {
    const priority =
      priorities.find((p) => p.defaultFlag) ??
      priorities.sort((a, b) => a.sortOrder - b.sortOrder)[0];
    if (priority) fields.priority = priorityRef(priority);
  }

  // Contact: named (it must belong to the company), or the company's default contact.
  let contact: ContactRecord | undefined;
  if (company && refs.contact) {
    contact =
      refs.contact.id !== undefined
        ? state.contacts.get(refs.contact.id)
        : state.contacts
            .lookup('company/id', company.id)
            .find((c) => contactName(c).toLowerCase() === refs.contact!.name?.toLowerCase());
    if (!contact) {
      errors.notFound(
        refField('contact', refs.contact),
        `Contact ${shown(refs.contact)} not found`,
      );
    } else if (contact.company.id !== company.id) {
      errors.invalid(
        'contact',
        `Contact ${contact.id} (${contactName(contact)}) does not belong to Company ${company.identifier}.`,
      );
    }
  } else if (
    company &&
    refs.contact === undefined &&
    (options.defaultContact ?? defaults) &&
    company.defaultContact
  ) {
    contact = state.contacts.get(company.defaultContact.id);
  }

  errors.throwIfAny();
  if (!company || !board || !fields.status) throw invalidObject('ticket', errors.items);

  const derivedContact = contact ? contactFields(contact) : {};
  const resolved: TicketFields = {
    ...(existing ? keptFields(existing) : {}),
    summary: summary as string,
    board: { id: board.id, name: board.name },
    status: fields.status,
    company: { id: company.id, identifier: company.identifier, name: company.name },
    ...derivedContact,
    ...(fields.type ? { type: fields.type } : {}),
    ...(fields.subType ? { subType: fields.subType } : {}),
    ...(fields.item ? { item: fields.item } : {}),
    ...(fields.team ? { team: fields.team } : {}),
    ...(fields.priority ? { priority: fields.priority } : {}),
    severity: (scalars.severity ?? 'Medium') as Severity,
    impact: (scalars.impact ?? 'Medium') as Severity,
    ...NEW_TICKET_FLAGS,
    ...(existing
      ? {
          hasChildTicket: existing.hasChildTicket,
          hasMergedChildTicketFlag: existing.hasMergedChildTicketFlag,
        }
      : {}),
    ...scalars.values,
  };
  return { fields: resolved, notes: mode === 'create' ? initialNotes(body) : [] };
}

/** The board-scoped references: status, type, subtype, item, team. */
function resolveOnBoard(
  state: SandboxState,
  board: BoardRecord,
  refs: References,
  errors: FieldErrors,
  out: Partial<TicketFields>,
  defaults: boolean,
): void {
  const label = `Service Board ${board.id}`;
  if (refs.status) {
    const status = byRef(state.statusesOf(board.id), refs.status);
    if (!status) {
      errors.notFound(
        refField('status', refs.status),
        `Service Status ${shown(refs.status)} not found for ${label}`,
      );
    } else if (status.inactive) {
      errors.invalid(
        'status',
        `Service Status ${status.id} (${status.name}) is inactive on ${label}.`,
      );
    } else out.status = { id: status.id, name: status.name, sort: status.sortOrder };
  } else {
    const status = state.defaultStatusOf(board.id);
    if (!status) {
      errors.invalid(
        'status',
        `${label} (${board.name}) has no active status to default to; name one.`,
      );
    } else out.status = { id: status.id, name: status.name, sort: status.sortOrder };
  }

  const type = refs.type
    ? byRef(state.boardTypes.lookup('board/id', board.id), refs.type)
    : undefined;
  if (refs.type && !type) {
    errors.notFound(
      refField('type', refs.type),
      `Service Type ${shown(refs.type)} not found for ${label}`,
    );
  }
  const subType = refs.subType
    ? byRef(state.boardSubTypes.lookup('board/id', board.id), refs.subType)
    : undefined;
  if (refs.subType && !subType) {
    errors.notFound(
      refField('subType', refs.subType),
      `Service Sub Type ${shown(refs.subType)} not found for ${label}`,
    );
  }
  const item = refs.item
    ? byRef(state.boardItems.lookup('board/id', board.id), refs.item)
    : undefined;
  if (refs.item && !item) {
    errors.notFound(
      refField('item', refs.item),
      `Service Item ${shown(refs.item)} not found for ${label}`,
    );
  }
  for (const [field, row] of [
    ['type', type],
    ['subType', subType],
    ['item', item],
  ] as const) {
    if (row?.inactiveFlag) {
      errors.invalid(field, `${field} ${row.id} (${row.name}) is inactive on ${label}.`);
    }
  }
  if (type) out.type = { id: type.id, name: type.name };
  if (subType) out.subType = { id: subType.id, name: subType.name };
  if (item) out.item = { id: item.id, name: item.name };
  if ((refs.subType || refs.item) && !refs.type) {
    errors.invalid('type', 'A type is required when a subType or item is given.');
  } else if (type && errors.empty) {
    checkAssociation(state, board, type, subType, item, errors);
  }

  if (refs.team) {
    const team = byRef(state.teamsOf(board.id), refs.team);
    if (!team) {
      errors.notFound(
        refField('team', refs.team),
        `Service Team ${shown(refs.team)} not found for ${label}`,
      );
    } else out.team = { id: team.id, name: team.name };
  } else if (refs.team === undefined && defaults) {
    const team = state.defaultTeamOf(board.id);
    if (team) out.team = { id: team.id, name: team.name };
    else if (state.behaviour.boardWithoutDefaultTeam === 'reject') {
      errors.invalid(
        'team',
        `${label} (${board.name}) has no default team; mark one of its teams as default or send a team.`,
      );
    }
  }
}

/**
 * The type/subtype/item combination must be one of the board's associations (§3.7). A board
 * with no associations accepts any combination of its own types, subtypes and items.
 */
function checkAssociation(
  state: SandboxState,
  board: BoardRecord,
  type: Ref,
  subType: Ref | undefined,
  item: Ref | undefined,
  errors: FieldErrors,
): void {
  const associations = state.boardAssociations.lookup('board/id', board.id);
  if (associations.length === 0) return;
  const valid = associations.some(
    (a) =>
      a.type.id === type.id &&
      (subType === undefined || a.subType?.id === subType.id) &&
      (item === undefined || a.item?.id === item.id),
  );
  if (valid) return;
  const parts = [
    `Type "${type.name}"`,
    subType && `Sub Type "${subType.name}"`,
    item && `Item "${item.name}"`,
  ];
  const field = item ? 'item' : subType ? 'subType' : 'type';
  errors.invalid(
    field,
    `${parts.filter(Boolean).join(' / ')} is not a valid combination on Service Board ${board.id} (${board.name}); see /service/boards/${board.id}/typeSubTypeItemAssociations.`,
  );
}

interface Scalars {
  values: Partial<TicketFields>;
  severity?: string;
  impact?: string;
}

function readScalars(body: Body, errors: FieldErrors): Scalars {
  const values: Record<string, unknown> = {};
  const out: Scalars = { values };
  for (const [field, max] of Object.entries(TEXT_FIELDS)) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') errors.invalid(field, `The field ${field} must be a string.`);
    else if (value.length > max) errors.maxLength(field, max);
    else values[field] = value;
  }
  for (const field of BOOLEAN_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') {
      errors.invalid(field, `The field ${field} must be true or false.`);
    } else if (field !== 'processNotifications' && field !== 'skipCallback') values[field] = value;
  }
  for (const field of ['severity', 'impact'] as const) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    const match =
      typeof value === 'string'
        ? SEVERITIES.find((s) => s.toLowerCase() === value.toLowerCase())
        : undefined;
    if (!match) errors.invalid(field, `The field ${field} must be one of Low, Medium, High.`);
    else out[field] = match;
  }
  const budget = body['budgetHours'];
  if (budget !== undefined && budget !== null) {
    if (typeof budget !== 'number' || !Number.isFinite(budget)) {
      errors.invalid('budgetHours', 'The field budgetHours must be a number.');
    } else values['budgetHours'] = budget;
  }
  for (const field of TICKET_DATE_FIELDS) {
    if (typeof body[field] === 'string') values[field] = body[field];
  }
  const tags = body['integratorTags'];
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
      errors.invalid('integratorTags', 'The field integratorTags must be an array of strings.');
    } else values['integratorTags'] = [...(tags as string[])];
  }
  const custom = body['customFields'];
  if (custom !== undefined && custom !== null) {
    if (
      !Array.isArray(custom) ||
      custom.some((f) => !isPlainObject(f) || typeof f['id'] !== 'number')
    ) {
      errors.invalid(
        'customFields',
        'The field customFields must be an array of objects with a numeric id.',
      );
    } else values['customFields'] = structuredClone(custom) as CustomFieldRecord[];
  }
  for (const field of ['initialDescription', 'initialInternalAnalysis', 'initialResolution']) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      errors.invalid(field, `The field ${field} must be a string.`);
    }
  }
  return out;
}

/** `undefined`: not sent; `null`: sent but unusable (an error is recorded); else the input. */
type References = Partial<Record<(typeof REFERENCE_FIELDS)[number], RefInput | null>>;

function readReferences(body: Body, errors: FieldErrors): References {
  const refs: References = {};
  for (const field of REFERENCE_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!isPlainObject(value)) {
      errors.invalid(
        field,
        `The field ${field} must be an object such as {"id": 1} or {"name": "…"}.`,
      );
      refs[field] = null;
      continue;
    }
    const ref: RefInput = {};
    const { id, name, identifier } = value;
    if (id !== undefined && id !== null) {
      if (typeof id !== 'number' || !Number.isInteger(id)) {
        errors.invalid(`${field}/id`, `The field ${field}/id must be a whole number.`);
        refs[field] = null;
        continue;
      }
      ref.id = id;
    }
    for (const [key, text] of [
      ['name', name],
      ['identifier', identifier],
    ] as const) {
      if (text === undefined || text === null) continue;
      if (typeof text !== 'string') {
        errors.invalid(`${field}/${key}`, `The field ${field}/${key} must be a string.`);
        refs[field] = null;
      } else ref[key] = text;
    }
    if (refs[field] === null) continue;
    // `{}` names nothing: treated as absent, so required fields report as missing.
    if (ref.id !== undefined || ref.name !== undefined || ref.identifier !== undefined) {
      refs[field] = ref;
    }
  }
  return refs;
}

function defaultBoard(state: SandboxState, member: MemberRecord): BoardRecord | undefined {
  const own = member.serviceDefaultBoard
    ? state.boards.get(member.serviceDefaultBoard.id)
    : undefined;
  if (own && !own.inactiveFlag) return own;
  return [...state.boards.values()].find((b) => !b.inactiveFlag && !b.projectFlag);
}

function byRef<T extends { id: number; name: string }>(rows: T[], ref: RefInput): T | undefined {
  if (ref.id !== undefined) return rows.find((r) => r.id === ref.id);
  const lower = ref.name?.toLowerCase();
  return lower === undefined ? undefined : rows.find((r) => r.name.toLowerCase() === lower);
}

/** `status/id` when the reference named an id, else `status/name` (`company/identifier`). */
function refField(field: string, ref: RefInput): string {
  if (ref.id !== undefined) return `${field}/id`;
  return ref.identifier !== undefined ? `${field}/identifier` : `${field}/name`;
}

/** `17` or `"In Progress"`, as error messages show a reference. */
function shown(ref: RefInput): string {
  if (ref.id !== undefined) return String(ref.id);
  return JSON.stringify(ref.identifier ?? ref.name ?? '');
}

function priorityRef(p: {
  id: number;
  name: string;
  sortOrder: number;
  level?: string;
}): NonNullable<TicketFields['priority']> {
  return { id: p.id, name: p.name, sort: p.sortOrder, ...(p.level ? { level: p.level } : {}) };
}

/** Fields a PUT or PATCH keeps from the stored ticket because no body may set them. */
function keptFields(existing: TicketRecord): Partial<TicketFields> {
  return {
    ...(existing.owner ? { owner: existing.owner } : {}),
    ...(existing.parentTicketId !== undefined ? { parentTicketId: existing.parentTicketId } : {}),
    ...(existing.mergedParentTicket ? { mergedParentTicket: existing.mergedParentTicket } : {}),
  };
}

/** `initialDescription` and friends become the ticket's first notes; never echoed (§3.5). */
function initialNotes(body: Body): NoteInput[] {
  const notes: NoteInput[] = [];
  const add = (key: string, flags: Partial<NoteInput>): void => {
    const text = body[key];
    if (typeof text === 'string' && text !== '') notes.push({ text, ...flags });
  };
  add('initialDescription', { detailDescriptionFlag: true });
  add('initialInternalAnalysis', { internalAnalysisFlag: true });
  add('initialResolution', { resolutionFlag: true });
  return notes;
}

/** The write-side view of a stored ticket, for applying PATCH operations to. */
export function ticketAsInput(ticket: TicketRecord): Body {
  const input: Body = {};
  for (const field of WRITABLE_TICKET_FIELDS) {
    const value = (ticket as unknown as Body)[field];
    if (value === undefined) continue;
    input[field] = REFERENCE_FIELDS.includes(field as (typeof REFERENCE_FIELDS)[number])
      ? { id: (value as Ref).id }
      : structuredClone(value);
  }
  // The contact copies follow the contact; keep them only when there is no contact to follow.
  if (ticket.contact) {
    delete input['contactName'];
    delete input['contactEmailAddress'];
    delete input['contactPhoneNumber'];
  }
  return input;
}
