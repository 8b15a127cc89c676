/**
 * Checks every permission the integration page lists, one probe per security-role row, without
 * changing anything in ConnectWise.
 *
 * ConnectWise checks the caller's security role before it looks at the request (reference
 * §5.3; the sandbox README's "Permission probes" section), so a request that could never succeed
 * still tells whether the role allows it:
 * - Inquire: `GET <a list of that module function>?pageSize=1`; 403 means missing.
 * - Service Tickets › Add: `POST /service/tickets` with `{}`; 403 means missing, a 400
 *   (summary and company are required) means granted. Nothing can be created from `{}`.
 * - Service Tickets › Edit: `PATCH /service/tickets/0` with `[]`; 403 means missing, a 404 (no
 *   ticket 0) or 400 means granted.
 * A probe only tells "None" from "My or All": the level itself is readable only with System ›
 * Security Roles, which the integration does not ask for.
 */
import type { ManageClient } from '../connectwise/client/index.js';
import {
  ManageNotFoundError,
  ManagePermissionError,
  ManageValidationError,
} from '../connectwise/client/index.js';
import type { TicketCreate } from '../connectwise/models.js';
import type {
  ModuleFunctionKey,
  PermissionAction,
  RequiredPermission,
} from '../connectwise/permissions.js';
import { REQUIRED_PERMISSIONS } from '../connectwise/permissions.js';
import type { ConnectionProblem } from './failure.js';
import { problemOf } from './failure.js';
import type { PermissionLine, PermissionReport } from './types.js';

/** What a probe learned: the role allows the call, or ConnectWise refused it with 403. */
type ProbeOutcome = 'granted' | 'missing';

type Probe = (client: ManageClient, signal: AbortSignal | undefined) => Promise<ProbeOutcome>;

/** An Inquire probe: one record of a list of that module function. */
const inquire =
  (read: (client: ManageClient, signal: AbortSignal | undefined) => Promise<unknown>): Probe =>
  async (client, signal) => {
    try {
      await read(client, signal);
      return 'granted';
    } catch (error) {
      if (error instanceof ManagePermissionError) return 'missing';
      throw error;
    }
  };

/** A write probe: 403 is missing; the refusals listed in `granted` prove the role allows it. */
const write =
  (
    send: (client: ManageClient, signal: AbortSignal | undefined) => Promise<unknown>,
    granted: (error: unknown) => boolean,
  ): Probe =>
  async (client, signal) => {
    try {
      await send(client, signal);
      return 'granted';
    } catch (error) {
      if (error instanceof ManagePermissionError) return 'missing';
      if (granted(error)) return 'granted';
      throw error;
    }
  };

const page = { pageSize: 1 } as const;

/** One probe per required permission, keyed `fn.action`. */
export const PERMISSION_PROBES: Readonly<Record<string, Probe>> = {
  'companyMaintenance.inquire': inquire((c, signal) =>
    c.companies.listPage({ ...page, ...(signal && { signal }) }),
  ),
  'contacts.inquire': inquire((c, signal) =>
    c.contacts.listPage({ ...page, ...(signal && { signal }) }),
  ),
  'projectTickets.inquire': inquire((c, signal) =>
    c.projectTickets.listPage({ ...page, ...(signal && { signal }) }),
  ),
  'serviceTickets.inquire': inquire((c, signal) =>
    c.tickets.listPage({ ...page, ...(signal && { signal }) }),
  ),
  'tableSetup.inquire': inquire((c, signal) =>
    c.boards.listPage({ ...page, ...(signal && { signal }) }),
  ),
  'serviceTickets.add': write(
    // `{}` lacks the required summary and company: ConnectWise refuses it after the role check.
    (c, signal) => c.tickets.create({} as TicketCreate, signal ? { signal } : {}),
    (error) => error instanceof ManageValidationError,
  ),
  'serviceTickets.edit': write(
    // Ticket ids start at 1: an empty patch of ticket 0 is refused after the role check.
    (c, signal) => c.tickets.patch(0, [], signal ? { signal } : {}),
    (error) =>
      error instanceof ManageValidationError ||
      (error instanceof ManageNotFoundError && !error.endpointMissing),
  ),
};

/** The probe of a permission, or undefined when none is written for it. */
export function probeFor(fn: ModuleFunctionKey, action: PermissionAction): Probe | undefined {
  return PERMISSION_PROBES[`${fn}.${action}`];
}

/** A line, and the problem behind it when it is not granted. */
interface ProbeResult {
  readonly line: PermissionLine;
  readonly problem?: ConnectionProblem;
}

/** Options of {@link checkPermissions}. */
export interface CheckPermissionsOptions {
  /** Cancels the probes. */
  readonly signal?: AbortSignal;
  /** Names the site in messages of probes that got no answer. Default: the client's API base. */
  readonly site?: string;
}

/**
 * Probes every permission of `REQUIRED_PERMISSIONS` (in parallel) and reports each as granted or
 * missing, with where to grant it. A probe that gets no usable answer (timeout, 5xx) leaves its
 * line `unchecked` and adds the reason to `problems`.
 *
 * @example
 * const report = await checkPermissions(client);
 * report.lines.filter((l) => l.status === 'missing').map((l) => l.label);
 * // ['Service Desk › Service Tickets › Edit Level: All']
 */
export async function checkPermissions(
  client: ManageClient,
  options: CheckPermissionsOptions = {},
): Promise<PermissionReport> {
  const site = options.site ?? client.apiBase;
  const results = await Promise.all(
    REQUIRED_PERMISSIONS.map(async (permission): Promise<ProbeResult> => {
      const probe = probeFor(permission.fn, permission.action);
      if (!probe) return uncheckable(permission);
      try {
        const outcome = await probe(client, options.signal);
        return outcome === 'granted'
          ? { line: line(permission, 'granted', `Granted: ${permission.label}.`) }
          : { line: missingLine(permission), problem: missingProblem(permission) };
      } catch (error) {
        const problem = problemOf(error, {
          step: 'permissions',
          site,
          companyId: client.companyId,
        });
        return {
          line: line(permission, 'unchecked', `Not checked: ${problem.message}`),
          problem,
        };
      }
    }),
  );

  const problems: ConnectionProblem[] = [];
  for (const { problem } of results) {
    if (
      problem &&
      !problems.some((p) => p.code === problem.code && p.message === problem.message)
    ) {
      problems.push(problem);
    }
  }
  const lines = results.map((r) => r.line);
  return { ok: lines.every((l) => l.status === 'granted'), lines, problems };
}

/** The lines of a check that stopped before the permission step. */
export function uncheckedPermissionLines(reason: string): PermissionLine[] {
  return REQUIRED_PERMISSIONS.map((p) => line(p, 'unchecked', `Not checked: ${reason}`));
}

function line(
  permission: RequiredPermission,
  status: PermissionLine['status'],
  message: string,
): PermissionLine {
  return { fn: permission.fn, action: permission.action, label: permission.label, status, message };
}

function missingLine(permission: RequiredPermission): PermissionLine {
  return line(
    permission,
    'missing',
    `Missing: ${permission.label}. Grant it in System › Security Roles, on the API member's role.`,
  );
}

/** One problem per missing permission, so each is named with where to grant it. */
function missingProblem(permission: RequiredPermission): ConnectionProblem {
  return {
    code: 'permission_missing',
    field: 'permissions',
    message: `The API member's security role lacks ${permission.label}.`,
    fix:
      `In ConnectWise open System › Security Roles, select the API member's role and set ` +
      `${permission.label}; then authenticate again.`,
  };
}

function uncheckable(permission: RequiredPermission): ProbeResult {
  const message = `The bridge has no probe for ${permission.label}.`;
  return {
    line: line(permission, 'unchecked', `Not checked: ${message}`),
    problem: {
      code: 'permission_unverified',
      field: 'permissions',
      message,
      fix: `Check in System › Security Roles that the API member's role has ${permission.label}.`,
    },
  };
}
