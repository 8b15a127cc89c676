/** `/company/companies`, `/company/companies/statuses` and `/company/contacts` (§3.3, §3.4). */
import { FieldErrors, invalidObject } from '../cw-errors.js';
import { renderCompany, renderCompanyStatus, renderContact } from '../render.js';
import type { CommunicationItemRecord, ContactRecord } from '../state/records.js';
import { isPlainObject } from '../tickets/ticket-write.js';
import type { Handler, HandlerContext, HandlerResult } from './context.js';
import { count, idOf, list, one, project, visibleTo } from './context.js';

export const listCompanies: Handler = (ctx) =>
  list(ctx, ctx.state.companies, (c) => renderCompany(c, ctx.hrefs), visibleTo(ctx));

export const countCompanies: Handler = (ctx) => count(ctx, ctx.state.companies, visibleTo(ctx));

export const getCompany: Handler = (ctx) =>
  one(
    ctx,
    ctx.state.companies.get(idOf(ctx)),
    `Company ${idOf(ctx)} not found`,
    (c) => renderCompany(c, ctx.hrefs),
    visibleTo(ctx),
  );

export const listCompanyStatuses: Handler = (ctx) =>
  list(ctx, ctx.state.companyStatuses, renderCompanyStatus);

function renderContactOf(ctx: HandlerContext): (c: ContactRecord) => Record<string, unknown> {
  return (c) => renderContact(c, ctx.hrefs, ctx.state.companies.get(c.company.id)?.mobileGuid);
}

export const listContacts: Handler = (ctx) =>
  list(ctx, ctx.state.contacts, renderContactOf(ctx), visibleTo(ctx));

export const countContacts: Handler = (ctx) => count(ctx, ctx.state.contacts, visibleTo(ctx));

export const getContact: Handler = (ctx) =>
  one(
    ctx,
    ctx.state.contacts.get(idOf(ctx)),
    `Contact ${idOf(ctx)} not found`,
    renderContactOf(ctx),
    visibleTo(ctx),
  );

/**
 * Creates a contact. ConnectWise requires `firstName` although the spec does not (§3.4, captured:
 * `MissingRequiredField` "The firstName field is required.").
 */
export const createContact: Handler = (ctx): HandlerResult => {
  const body = ctx.body();
  if (!isPlainObject(body)) {
    throw invalidObject('contact', [
      { code: 'InvalidObject', message: 'Send the contact as a JSON object.', resource: 'contact' },
    ]);
  }
  const errors = new FieldErrors('contact');
  const text = (field: string, max: number): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') errors.invalid(field, `The field ${field} must be a string.`);
    else if (value.length > max) errors.maxLength(field, max);
    else return value;
    return undefined;
  };
  const blank = (value: unknown): boolean => value === undefined || value === null || value === '';
  if (blank(body['firstName'])) errors.required('firstName');
  const firstName = text('firstName', 30);
  const lastName = text('lastName', 60);
  const title = text('title', 100);

  let companyId: number | undefined;
  const ref = body['company'];
  if (blank(ref)) errors.required('company');
  else if (!isPlainObject(ref)) {
    errors.invalid('company', 'The field company must be an object such as {"id": 1}.');
  } else {
    const byId = typeof ref['id'] === 'number';
    const company = ctx.state.companyByReference({
      ...(byId ? { id: ref['id'] as number } : {}),
      ...(typeof ref['identifier'] === 'string' ? { identifier: ref['identifier'] } : {}),
    });
    if (company) {
      companyId = company.id;
    } else {
      const shown = JSON.stringify(ref['id'] ?? ref['identifier'] ?? '');
      errors.notFound(byId ? 'company/id' : 'company/identifier', `Company ${shown} not found`);
    }
  }
  const items = communicationItems(body['communicationItems'], errors);
  for (const flag of ['inactiveFlag', 'defaultFlag'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
      errors.invalid(flag, `The field ${flag} must be true or false.`);
    }
  }
  errors.throwIfAny();

  const contact = ctx.state.addContact({
    company: companyId!,
    firstName: firstName!,
    ...(lastName !== undefined ? { lastName } : {}),
    ...(title !== undefined ? { title } : {}),
    ...(body['defaultFlag'] === true ? { defaultFlag: true } : {}),
    ...(body['inactiveFlag'] === true ? { inactiveFlag: true } : {}),
    communicationItems: items,
    by: ctx.member.identifier,
  });
  return {
    status: 201,
    body: project(ctx, renderContactOf(ctx)(contact)),
    headers: { location: ctx.hrefs.to(`/company/contacts/${contact.id}`) },
  };
};

function communicationItems(
  value: unknown,
  errors: FieldErrors,
): Omit<CommunicationItemRecord, 'id'>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.invalid('communicationItems', 'The field communicationItems must be an array.');
    return [];
  }
  const items: Omit<CommunicationItemRecord, 'id'>[] = [];
  value.forEach((item: unknown, i) => {
    const field = `communicationItems/${i}`;
    if (!isPlainObject(item) || typeof item['value'] !== 'string') {
      errors.invalid(field, 'Each communication item needs a string value.');
      return;
    }
    const typeName =
      isPlainObject(item['type']) && typeof item['type']['name'] === 'string'
        ? item['type']['name']
        : undefined;
    const declared = item['communicationType'];
    const kind =
      declared === 'Email' || declared === 'Phone' || declared === 'Fax'
        ? declared
        : typeName?.toLowerCase() === 'email' || item['value'].includes('@')
          ? 'Email'
          : 'Phone';
    items.push({
      type: {
        id: kind === 'Email' ? 1 : 2,
        name: typeName ?? (kind === 'Email' ? 'Email' : 'Direct'),
      },
      value: item['value'],
      defaultFlag: item['defaultFlag'] === true || !items.some((x) => x.communicationType === kind),
      communicationType: kind,
    });
  });
  return items;
}
