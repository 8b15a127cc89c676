/**
 * What the action handlers need from the rest of the bridge, in one small interface: a
 * ConnectWise client for the account, its board settings, and where a company's tickets go.
 * The worker builds it from the connection and companies parts; all three are reads of the
 * bridge's own tables, so a ticket action costs no ConnectWise look-up.
 */
import type { Kysely } from 'kysely';

import type { Config } from '../config/config.js';
import type { ManageClient, ManageEventListener } from '../connectwise/client/index.js';
import { getBoardSettings } from '../connection/board-settings-store.js';
import { openManageClient } from '../connection/open-client.js';
import type { BoardSettings, ManageClientTuning } from '../connection/types.js';
import { resolveTicketTarget, type TicketTarget } from '../companies/ticket-target.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../storage/schema.js';

/** The rest of the bridge as the action handlers see it. */
export interface DeliveryPorts {
  /**
   * A client on the account's saved connection.
   * @throws ConnectionNotConfiguredError when the account has none.
   */
  openClient(
    accountId: string,
    options: { readonly signal: AbortSignal; readonly onEvent?: ManageEventListener },
  ): Promise<ManageClient>;
  /** The account's board settings, or null when none are saved. */
  boardSettings(accountId: string): Promise<BoardSettings | null>;
  /** The ConnectWise company and contact of a console company (`companies.id`). */
  ticketTarget(accountId: string, companyId: string): Promise<TicketTarget>;
}

/** What {@link connectedPorts} needs. */
export interface ConnectedPortsOptions {
  readonly db: Kysely<Database>;
  readonly secretBox: SecretBox;
  readonly config: Pick<Config, 'clientId'>;
  /** Timeouts and retries of the clients. */
  readonly manage?: ManageClientTuning;
}

/**
 * The ports on the connection and companies parts.
 *
 * The ticketing switch is not checked again here: the domain already decided, when it planned
 * the create, that the company gets tickets (it makes none for a company switched off), and a
 * switch turned off since must not strand a ticket the domain counts on.
 */
export function connectedPorts(options: ConnectedPortsOptions): DeliveryPorts {
  const deps = {
    db: options.db,
    secretBox: options.secretBox,
    config: options.config,
    ...(options.manage !== undefined && { manage: options.manage }),
  };
  return {
    openClient: (accountId, open) => openManageClient(deps, accountId, open),
    boardSettings: (accountId) => getBoardSettings(options.db, accountId),
    ticketTarget: (accountId, companyId) =>
      resolveTicketTarget(options.db, accountId, companyId, { ignoreTicketingSwitch: true }),
  };
}
