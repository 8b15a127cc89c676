/**
 * Incident keys and ConnectWise correlation keys.
 *
 * The incident key names one problem: account + company + condition + device (or `*` for a
 * company-wide storm). The `externalXRef` is what the bridge writes on the ticket so that a create
 * whose response was lost can be found again instead of repeated (connectwise-api.md §3.5:
 * `externalXRef`, max 100 characters). It must therefore never change between processes or
 * versions: it is a SHA-256 of the key, which is deterministic, plus the ticket generation so a
 * second ticket for the same problem (after the first was closed) has a key of its own.
 */
import { createHash } from 'node:crypto';
import type { Condition } from './conditions.js';

/** Prefix and version of every correlation key; a new scheme must use a new prefix. */
export const XREF_PREFIX = 'psab1:';

/** The device part of a storm incident's key. */
export const STORM_DEVICE = '*';

/** What identifies a device incident. */
export interface IncidentKeyParts {
  accountId: string;
  company: string;
  condition: Condition;
  deviceId: string;
}

/**
 * Company names compare case-insensitively and trimmed: ConnectWise company identifiers are
 * case-insensitive (its `conditions` filter compares them so), so `ACME` and `acme ` are one
 * company and must not give two tickets for one device.
 */
export function normalizeCompany(company: string): string {
  return company.normalize('NFC').trim().toLowerCase();
}

// Percent-encoding keeps `/` as the only separator; `*` is encoded too so a device literally
// named `*` can never collide with the storm key.
function keyPart(value: string): string {
  return encodeURIComponent(value).replace(/\*/g, '%2A');
}

/**
 * The stable key of a device incident: `account/company/condition/device`, each part
 * percent-encoded, company normalized.
 *
 * @example incidentKeyOf({ accountId: 'a1', company: 'ACME', condition: 'backup', deviceId: 'dev-42' })
 * // 'a1/acme/backup/dev-42'
 */
export function incidentKeyOf(parts: IncidentKeyParts): string {
  return [
    keyPart(parts.accountId),
    keyPart(normalizeCompany(parts.company)),
    parts.condition,
    keyPart(parts.deviceId),
  ].join('/');
}

/**
 * The stable key of a company's storm incident for one condition: the device part is `*`.
 *
 * @example stormKeyOf({ accountId: 'a1', company: 'ACME', condition: 'backup' }) // 'a1/acme/backup/*'
 */
export function stormKeyOf(parts: Omit<IncidentKeyParts, 'deviceId'>): string {
  return [
    keyPart(parts.accountId),
    keyPart(normalizeCompany(parts.company)),
    parts.condition,
    STORM_DEVICE,
  ].join('/');
}

// RFC 4648 base32, lower case, no padding: only [a-z2-7], safe in a ConnectWise `conditions`
// string literal and in URLs without escaping.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The part of the correlation key shared by every ticket of one incident: `psab1:` + 32 base32
 * characters (160 bits of SHA-256 of the incident key). Reconciliation can search
 * `externalXRef like "psab1:…*"` to find all tickets ever made for the problem.
 */
export function xrefBaseOf(incidentKey: string): string {
  const digest = createHash('sha256').update(incidentKey, 'utf8').digest();
  return XREF_PREFIX + base32(digest).slice(0, 32);
}

/**
 * The correlation key of ticket number `generation` (1, 2, …) of an incident, e.g.
 * `psab1:mfrggzdfmztwq2lknnwg23tpobyxe43u.1` — 40 characters for generations below 10, always
 * far below ConnectWise's 100.
 */
export function externalXRefOf(incidentKey: string, generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) {
    throw new RangeError(`generation must be a whole number from 1, got ${generation}`);
  }
  return `${xrefBaseOf(incidentKey)}.${generation}`;
}
