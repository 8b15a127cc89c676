/** Small value helpers shared by the store and the handlers. */
import type { ContactRecord, Ref } from './records.js';

/** ConnectWise's datetime format (§3.1): `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
export function cwDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether a string is in ConnectWise's datetime format. */
export function isCwDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** `"First Last"`, the name a contact reference carries. */
export function contactName(contact: { firstName: string; lastName?: string | undefined }): string {
  return contact.lastName ? `${contact.firstName} ${contact.lastName}` : contact.firstName;
}

/** Drops `undefined` and `null` properties, recursively: ConnectWise omits nulls (§3.1). */
export function omitNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => omitNulls(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || item === null) continue;
    out[key] = omitNulls(item);
  }
  return out as T;
}

/** The contact fields a ticket carries: the reference plus copies of name, email and phone. */
export function contactFields(contact: ContactRecord): {
  contact: Ref;
  contactName: string;
  contactEmailAddress?: string;
  contactPhoneNumber?: string;
} {
  const email = contact.communicationItems.find(
    (c) => c.communicationType === 'Email' && c.defaultFlag,
  );
  const phone = contact.communicationItems.find(
    (c) => c.communicationType === 'Phone' && c.defaultFlag,
  );
  return {
    contact: { id: contact.id, name: contactName(contact) },
    contactName: contactName(contact),
    ...(email ? { contactEmailAddress: email.value } : {}),
    ...(phone ? { contactPhoneNumber: phone.value } : {}),
  };
}
