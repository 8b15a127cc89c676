/**
 * Settings › ConnectWise Manage: authenticate, then save. Only a check that passes saves, so a
 * saved connection always reached ConnectWise with every required permission at least once.
 */
import type { ManageEventListener } from '../connectwise/client/index.js';
import { inTransaction } from '../storage/transaction.js';
import { deleteBoardSettings } from './board-settings-store.js';
import { checkConnection } from './connection-check.js';
import {
  deleteConnection,
  findConnection,
  getConnectionCredentials,
  recordConnectionCheck,
  upsertConnection,
} from './connection-store.js';
import {
  ConnectionCheckFailedError,
  ConnectionNotConfiguredError,
  PrivateKeyRequiredError,
} from './errors.js';
import type {
  ConnectionCheckReport,
  ConnectionDeps,
  ConnectionInput,
  ConnectionView,
} from './types.js';

/** Options of the functions that call ConnectWise. */
export interface ConnectionCallOptions {
  /** Receives the client's events (no secrets in them). Default: none. */
  readonly onEvent?: ManageEventListener;
  readonly signal?: AbortSignal;
}

/** Connection fields as a form sends them: the private key may be left out to keep the saved one. */
export type ConnectionUpdate = Omit<ConnectionInput, 'privateKey'> & {
  readonly privateKey?: string | undefined;
};

/** The outcome of {@link saveConnection}. */
export type SaveConnectionResult =
  | {
      readonly saved: true;
      readonly connection: ConnectionView;
      readonly report: ConnectionCheckReport;
    }
  | { readonly saved: false; readonly report: ConnectionCheckReport };

/**
 * `input` with the saved private key filled in when it is left out: ConnectWise shows a private
 * key once, and the console never shows it again, so changing the site must not need it.
 *
 * @throws PrivateKeyRequiredError when it is left out and none is saved.
 */
export async function completeConnectionInput(
  deps: ConnectionDeps,
  accountId: string,
  input: ConnectionUpdate,
): Promise<ConnectionInput> {
  if (input.privateKey !== undefined) return { ...input, privateKey: input.privateKey };
  const saved = await getConnectionCredentials(deps.db, deps.secretBox, accountId);
  if (!saved) throw new PrivateKeyRequiredError();
  return { ...input, privateKey: saved.privateKey };
}

/**
 * Runs the connection check and, when it passes, saves the connection (private key encrypted).
 * Saving a connection to another site or company drops the board settings, whose ids belong to
 * the previous tenant.
 *
 * @example
 * const result = await saveConnection(deps, accountId, { site, companyId, publicKey, privateKey });
 * if (!result.saved) showProblems(result.report.problems);
 */
export async function saveConnection(
  deps: ConnectionDeps,
  accountId: string,
  input: ConnectionInput,
  options: ConnectionCallOptions = {},
): Promise<SaveConnectionResult> {
  const now = deps.now ?? (() => new Date());
  const report = await checkConnection(input, {
    clientId: deps.config.clientId,
    now,
    ...(deps.manage && { manage: deps.manage }),
    ...(options.onEvent && { onEvent: options.onEvent }),
    ...(options.signal && { signal: options.signal }),
  });
  if (!report.ok || report.apiBase === null || report.codebase === null) {
    return { saved: false, report };
  }
  const { apiBase, codebase } = report;

  const connection = await inTransaction(deps.db, async (trx) => {
    const previous = await findConnection(trx, accountId);
    const sameTenant =
      previous !== null &&
      previous.apiBase === apiBase &&
      previous.companyId.toLowerCase() === report.companyId.toLowerCase();
    if (!sameTenant) await deleteBoardSettings(trx, accountId);
    return upsertConnection(
      trx,
      deps.secretBox,
      accountId,
      {
        site: report.site,
        companyId: report.companyId,
        publicKey: input.publicKey.trim(),
        privateKey: input.privateKey.trim(),
        apiBase,
        codebase,
        report,
      },
      now(),
    );
  });
  return { saved: true, connection, report };
}

/**
 * Configuration as code: saves the connection declared in a file after the same check.
 *
 * @throws ConnectionCheckFailedError listing every problem when the check does not pass.
 */
export async function saveConnectionFromConfig(
  deps: ConnectionDeps,
  accountId: string,
  input: ConnectionInput,
  options: ConnectionCallOptions = {},
): Promise<ConnectionView> {
  const result = await saveConnection(deps, accountId, input, options);
  if (!result.saved) throw new ConnectionCheckFailedError(result.report);
  return result.connection;
}

/**
 * Checks the saved connection again and records the outcome (status `ok` or `broken`), for the
 * doctor and the console's re-check.
 *
 * @throws ConnectionNotConfiguredError when the account has no connection.
 */
export async function recheckConnection(
  deps: ConnectionDeps,
  accountId: string,
  options: ConnectionCallOptions = {},
): Promise<ConnectionCheckReport> {
  const saved = await getConnectionCredentials(deps.db, deps.secretBox, accountId);
  if (!saved) throw new ConnectionNotConfiguredError(accountId);
  const report = await checkConnection(
    {
      site: saved.site,
      companyId: saved.companyId,
      publicKey: saved.publicKey,
      privateKey: saved.privateKey,
    },
    {
      clientId: deps.config.clientId,
      ...(deps.now && { now: deps.now }),
      ...(deps.manage && { manage: deps.manage }),
      ...(options.onEvent && { onEvent: options.onEvent }),
      ...(options.signal && { signal: options.signal }),
    },
  );
  await recordConnectionCheck(deps.db, accountId, report);
  return report;
}

/** Removes the account's connection and its board settings; false when there was none. */
export async function removeConnection(deps: ConnectionDeps, accountId: string): Promise<boolean> {
  return inTransaction(deps.db, async (trx) => {
    await deleteBoardSettings(trx, accountId);
    return deleteConnection(trx, accountId);
  });
}
