/**
 * The doctor's test ticket: proves end to end that a ticket for one company can be created on
 * the configured board and closed with the configured closed status, as the bridge will do it.
 * The ticket carries a correlation key of its own (`psab-test:<random>`), so it can never be
 * taken for an incident's ticket.
 */
import { randomBytes } from 'node:crypto';
import type { ManageEventListener } from '../connectwise/client/index.js';
import type { Ticket, TicketCreate } from '../connectwise/models.js';
import { manageTicketLink } from '../companies/links.js';
import { getConsoleCompanyByName } from '../companies/registry.js';
import { resolveTicketTarget } from '../companies/ticket-target.js';
import { CompanyNotFoundError } from '../companies/errors.js';
import { getBoardSettings } from '../connection/board-settings-store.js';
import { findConnection } from '../connection/connection-store.js';
import { ConnectionNotConfiguredError } from '../connection/errors.js';
import { openManageClient } from '../connection/open-client.js';
import type { ConnectionDeps } from '../connection/types.js';
import { BoardNotConfiguredError, TestTicketCloseError, TestTicketRefusedError } from './errors.js';

/** The summary of every test ticket. */
export const TEST_TICKET_SUMMARY = 'psabridge test ticket';

/** The prefix of a test ticket's `externalXRef`. */
export const TEST_TICKET_XREF_PREFIX = 'psab-test:';

/** Options of {@link createTestTicket}. */
export interface TestTicketOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: ManageEventListener;
}

/** What the test ticket did. */
export interface TestTicketResult {
  readonly company: string;
  readonly cwCompanyId: number;
  readonly contactId: number | null;
  readonly externalXRef: string;
  readonly board: string;
  /** The ticket as created. */
  readonly created: { readonly ticketId: number; readonly status: string | null };
  /** The ticket as closed. */
  readonly closed: {
    readonly ticketId: number;
    readonly status: string | null;
    readonly closedFlag: boolean;
  };
  /** Opens the ticket in the ConnectWise UI. */
  readonly link: string;
}

/**
 * Creates a ticket for console company `companyName` on the configured board (new status,
 * type, subtype, item, team, the low priority), then closes it with the configured closed
 * status. The company's ticketing switch is ignored: the point is to test it before switching it
 * on.
 *
 * @throws CompanyNotFoundError when the account has no such company.
 * @throws TestTicketRefusedError when the company cannot take tickets (unmatched, inactive, no
 *   contact…), with the problem and its fix; nothing is written to ConnectWise then.
 * @throws BoardNotConfiguredError / ConnectionNotConfiguredError when settings are missing.
 * @throws TestTicketCloseError when the ticket was created but could not be closed; it names the
 *   ticket so it can be closed by hand.
 * @throws client errors of the create as thrown (keys refused, board refused, ConnectWise down).
 */
export async function createTestTicket(
  deps: ConnectionDeps,
  accountId: string,
  companyName: string,
  options: TestTicketOptions = {},
): Promise<TestTicketResult> {
  const company = await getConsoleCompanyByName(deps.db, accountId, companyName);
  if (!company) throw new CompanyNotFoundError(companyName);
  const target = await resolveTicketTarget(deps.db, accountId, company.id, {
    ignoreTicketingSwitch: true,
  });
  if (!target.ok) throw new TestTicketRefusedError(company.name, target.problem);
  const settings = await getBoardSettings(deps.db, accountId);
  if (!settings) throw new BoardNotConfiguredError();
  const connection = await findConnection(deps.db, accountId);
  if (!connection) throw new ConnectionNotConfiguredError(accountId);

  const client = await openManageClient(deps, accountId, options);
  const request = options.signal ? { signal: options.signal } : {};
  const externalXRef = `${TEST_TICKET_XREF_PREFIX}${randomBytes(8).toString('hex')}`;
  const ticket: TicketCreate = {
    summary: TEST_TICKET_SUMMARY,
    recordType: 'ServiceTicket',
    company: { id: target.cwCompanyId },
    ...(target.contactId === null ? {} : { contact: { id: target.contactId } }),
    board: { id: settings.board.id },
    status: { id: settings.newStatus.id },
    type: { id: settings.type.id },
    ...(settings.subtype ? { subType: { id: settings.subtype.id } } : {}),
    ...(settings.item ? { item: { id: settings.item.id } } : {}),
    ...(settings.team ? { team: { id: settings.team.id } } : {}),
    priority: { id: settings.priorities.low.id },
    externalXRef,
    initialDescription:
      "A test ticket from psabridge's doctor: it checks that tickets for this company can be created and closed. It is closed right away; nothing needs doing.",
  };
  const created = await client.tickets.create(ticket, request);

  let closed: Ticket;
  try {
    closed = await client.tickets.patch(
      created.id,
      [{ op: 'replace', path: 'status', value: { id: settings.closedStatus.id } }],
      request,
    );
  } catch (error) {
    throw new TestTicketCloseError(
      created.id,
      manageTicketLink(connection.site, connection.companyId, created.id),
      settings.closedStatus.name,
      { cause: error },
    );
  }

  return {
    company: company.name,
    cwCompanyId: target.cwCompanyId,
    contactId: target.contactId,
    externalXRef,
    board: settings.board.name,
    created: { ticketId: created.id, status: created.status?.name ?? null },
    closed: {
      ticketId: closed.id,
      status: closed.status?.name ?? null,
      closedFlag: closed.closedFlag === true,
    },
    link: manageTicketLink(connection.site, connection.companyId, created.id),
  };
}
