/**
 * Who is calling: the `clientId` header (§1.4) and Basic auth with API-member keys (§1.1),
 * answered the ways the behaviour switches choose where the reference is unverified.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { SandboxBehaviour } from '../behaviour.js';
import { CwHttpError, endpointNotFound } from '../cw-errors.js';
import type { MemberRecord } from '../state/records.js';
import type { SandboxState } from '../state/sandbox-state.js';

/** Thrown to close the connection without any answer (faults, `badCredentials: noResponse`). */
export class DropConnection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DropConnection';
  }
}

/**
 * The `clientId` header, in any spelling (header names are case-insensitive; clients send
 * `clientId`, `ClientID`, `ClientId`, `clientid`). Missing → 400 naming clientId (§1.4 best guess).
 */
export function checkClientId(headers: IncomingHttpHeaders, state: SandboxState): void {
  const policy = state.behaviour.clientIdPolicy;
  if (policy === 'ignored') return;
  const raw = headers['clientid'];
  const clientId = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  if (clientId === '') {
    throw new CwHttpError(400, {
      code: 'ConnectWiseApi',
      message:
        'A clientId header is required on every request. Register your integration at https://developer.connectwise.com/ClientID and send its GUID as the clientId header.',
    });
  }
  if (policy === 'registered' && !state.tenant.clientIds.has(clientId)) {
    throw new CwHttpError(400, {
      code: 'ConnectWiseApi',
      message: `The clientId '${clientId}' is not registered; register your integration at https://developer.connectwise.com/ClientID and send its GUID as the clientId header.`,
    });
  }
}

/**
 * The API member of `Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")`. The
 * company id must equal the tenant's exactly (case-sensitive, §1.1).
 * @throws CwHttpError 401 (or 404), or DropConnection, per `behaviour.badCredentials`.
 */
export function authenticate(headers: IncomingHttpHeaders, state: SandboxState): MemberRecord {
  const member = memberOf(headers.authorization, state);
  if (member) return member;
  switch (state.behaviour.badCredentials) {
    case '404':
      throw endpointNotFound();
    case 'noResponse':
      throw new DropConnection('bad credentials');
    case '401':
      throw unauthorized(state.behaviour.unauthorizedBody);
  }
}

/** A 401 with the body style of `behaviour.unauthorizedBody` (§1.6). */
export function unauthorized(style: SandboxBehaviour['unauthorizedBody']): CwHttpError {
  return style === 'UserNotAuthenticated'
    ? new CwHttpError(401, { code: 'ConnectWiseApi', message: 'UserNotAuthenticated' })
    : new CwHttpError(401, { code: 'Unauthorized', message: 'Incorrect public/private key' });
}

function memberOf(header: string | undefined, state: SandboxState): MemberRecord | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const privateKey = decoded.slice(colon + 1);
  const plus = user.indexOf('+');
  if (plus < 0) return undefined;
  if (user.slice(0, plus) !== state.tenant.companyId) return undefined;
  return state.authenticate(user.slice(plus + 1), privateKey);
}
