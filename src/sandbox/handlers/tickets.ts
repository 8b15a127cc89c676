/**
 * `/service/tickets` and their notes (§3.5, §3.6): list, count, search, get, create (POST),
 * replace (PUT), patch (PATCH), delete, and notes. Service and project tickets share one id
 * sequence but are separate resources, so a project ticket's id is "not found" here.
 */
import { FieldErrors, invalidObject, recordNotFound, securityDenied } from '../cw-errors.js';
import type { FilterTexts } from '../http/list-params.js';
import { renderNote, renderTicket } from '../render.js';
import type { NoteRecord, TicketRecord } from '../state/records.js';
import type { NoteInput } from '../state/sandbox-state.js';
import { applyTicketPatch } from '../tickets/ticket-patch.js';
import { isPlainObject, resolveTicketWrite, ticketAsInput } from '../tickets/ticket-write.js';
import type { Handler, HandlerContext, HandlerResult } from './context.js';
import { count, idOf, list, one, parentIdOf, project, visibleTo } from './context.js';

/** ConnectWise's text for a ticket id it does not serve here (§3.5, [ES-REF]). */
const TICKET_NOT_FOUND = 'Ticket not found';

function renderOf(ctx: HandlerContext): (t: TicketRecord) => Record<string, unknown> {
  return (t) => renderTicket(t, ctx.hrefs, ctx.state.companies.get(t.company.id)?.mobileGuid);
}

/** The ticket named by the URL, or 404; at a `My` level only the member's own. */
function ticketFor(ctx: HandlerContext, id: number): TicketRecord {
  const ticket = ctx.state.tickets.get(id);
  if (!ticket) throw recordNotFound(TICKET_NOT_FOUND);
  if (!visibleTo(ctx)(ticket)) throw securityDenied();
  return ticket;
}

export const listTickets: Handler = (ctx) =>
  list(ctx, ctx.state.tickets, renderOf(ctx), visibleTo(ctx));

export const countTickets: Handler = (ctx) => count(ctx, ctx.state.tickets, visibleTo(ctx));

/** `POST /service/tickets/search` with `FilterValues` (§4.4); paging stays in the query. */
export const searchTickets: Handler = (ctx) => {
  const body = ctx.body();
  if (!isPlainObject(body)) {
    throw invalidObject('filterValues', [
      {
        code: 'InvalidObject',
        message: 'Send the filter as a JSON object, e.g. {"conditions": "closedFlag = false"}.',
        resource: 'filterValues',
      },
    ]);
  }
  const errors = new FieldErrors('filterValues');
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = body[key];
      if (value === undefined || value === null) continue;
      if (typeof value === 'string') return value;
      errors.invalid(key, `The field ${key} must be a string.`);
    }
    return undefined;
  };
  // The spec spells the two child filters in lower case; the camelCase forms are accepted too.
  const filters: FilterTexts = {
    conditions: text('conditions'),
    orderBy: text('orderBy'),
    childConditions: text('childconditions', 'childConditions'),
    customFieldConditions: text('customfieldconditions', 'customFieldConditions'),
  };
  errors.throwIfAny();
  return list(ctx, ctx.state.tickets, renderOf(ctx), visibleTo(ctx), filters);
};

export const getTicket: Handler = (ctx) =>
  one(ctx, ctx.state.tickets.get(idOf(ctx)), TICKET_NOT_FOUND, renderOf(ctx), visibleTo(ctx));

/**
 * Creates a ticket: 201 with the record and its location. There is no idempotency key (§8): the
 * same body twice makes two tickets.
 */
export const createTicket: Handler = (ctx) => {
  const { state, member } = ctx;
  const write = resolveTicketWrite(state, member, ctx.body(), 'create');
  const ticket = state.insertTicket(write.fields, member.identifier);
  for (const note of write.notes) state.addNote(ticket.id, note, member.identifier);
  return written(ctx, ticket, 201);
};

export const replaceTicket: Handler = (ctx) => {
  const existing = ticketFor(ctx, idOf(ctx));
  const write = resolveTicketWrite(ctx.state, ctx.member, ctx.body(), 'replace', existing);
  return written(
    ctx,
    ctx.state.replaceTicket(existing.id, write.fields, ctx.member.identifier),
    200,
  );
};

export const patchTicket: Handler = (ctx) => {
  const existing = ticketFor(ctx, idOf(ctx));
  const view = ticketAsInput(existing);
  const { input, touched } = applyTicketPatch(view, ctx.body(), ctx.state.behaviour);
  if (touched.size === 0) return written(ctx, existing, 200);
  // A new company brings its own default contact unless the patch names one.
  const companyMoved = touched.has('company') && !touched.has('contact');
  if (companyMoved) delete input['contact'];
  const write = resolveTicketWrite(ctx.state, ctx.member, input, 'update', existing, {
    defaultContact: companyMoved,
  });
  return written(
    ctx,
    ctx.state.replaceTicket(existing.id, write.fields, ctx.member.identifier),
    200,
  );
};

export const deleteTicket: Handler = (ctx) => {
  ctx.state.deleteTicket(ticketFor(ctx, idOf(ctx)).id);
  return { status: 204 };
};

function written(ctx: HandlerContext, ticket: TicketRecord, status: number): HandlerResult {
  return {
    status,
    body: project(ctx, renderOf(ctx)(ticket)),
    ...(status === 201
      ? { headers: { location: ctx.hrefs.to(`/service/tickets/${ticket.id}`) } }
      : {}),
  };
}

// ---- Notes ------------------------------------------------------------------------------------

function notesOf(ctx: HandlerContext): NoteRecord[] {
  return ctx.state.listNotes(ticketFor(ctx, parentIdOf(ctx)).id);
}

export const listTicketNotes: Handler = (ctx) =>
  list(ctx, notesOf(ctx), (n) => renderNote(n, ctx.hrefs));

export const countTicketNotes: Handler = (ctx) => count(ctx, notesOf(ctx));

export const getTicketNote: Handler = (ctx) => {
  const note = notesOf(ctx).find((n) => n.id === idOf(ctx));
  return one(ctx, note, `Service Note ${idOf(ctx)} not found`, (n) => renderNote(n, ctx.hrefs));
};

/**
 * Adds a note. `internalFlag`/`externalFlag` are derived from the three kind flags (§3.6); a
 * note with none of them is accepted unless `behaviour.noteWithoutFlags` is `reject`.
 */
export const createTicketNote: Handler = (ctx) => {
  const ticket = ticketFor(ctx, parentIdOf(ctx));
  const body = ctx.body();
  if (!isPlainObject(body)) {
    throw invalidObject('serviceNote', [
      {
        code: 'InvalidObject',
        message: 'Send the note as a JSON object.',
        resource: 'serviceNote',
      },
    ]);
  }
  const errors = new FieldErrors('serviceNote');
  const text = body['text'];
  if (text === undefined || text === null || text === '') errors.required('text');
  else if (typeof text !== 'string') errors.invalid('text', 'The field text must be a string.');
  const flags: Pick<
    NoteInput,
    'detailDescriptionFlag' | 'internalAnalysisFlag' | 'resolutionFlag' | 'issueFlag'
  > = {};
  for (const flag of [
    'detailDescriptionFlag',
    'internalAnalysisFlag',
    'resolutionFlag',
    'issueFlag',
  ] as const) {
    const value = body[flag];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') {
      errors.invalid(flag, `The field ${flag} must be true or false.`);
    } else flags[flag] = value;
  }
  if (
    ctx.state.behaviour.noteWithoutFlags === 'reject' &&
    !flags.detailDescriptionFlag &&
    !flags.internalAnalysisFlag &&
    !flags.resolutionFlag
  ) {
    errors.invalid(
      'detailDescriptionFlag',
      'At least one of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true.',
    );
  }
  let contact: NoteInput['contact'];
  const contactRef = body['contact'];
  if (contactRef !== undefined && contactRef !== null) {
    const id = isPlainObject(contactRef) ? contactRef['id'] : undefined;
    const found = typeof id === 'number' ? ctx.state.contacts.get(id) : undefined;
    if (!found) errors.notFound('contact/id', `Contact ${JSON.stringify(id ?? '')} not found`);
    else {
      contact = {
        id: found.id,
        name: `${found.firstName}${found.lastName ? ` ${found.lastName}` : ''}`,
      };
    }
  }
  errors.throwIfAny();
  const note = ctx.state.addNote(
    ticket.id,
    { text: text as string, ...flags, ...(contact ? { contact } : {}) },
    ctx.member.identifier,
  );
  return {
    status: 201,
    body: project(ctx, renderNote(note, ctx.hrefs)),
    headers: { location: ctx.hrefs.to(`/service/tickets/${ticket.id}/notes/${note.id}`) },
  };
};
