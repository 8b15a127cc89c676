/** Opens a ConnectWise client on an account's saved connection. */
import type { ManageEventListener } from '../connectwise/client/index.js';
import { ManageClient } from '../connectwise/client/index.js';
import { clientTuning } from './connection-check.js';
import { getConnectionCredentials, updateCachedCodebase } from './connection-store.js';
import { ConnectionNotConfiguredError } from './errors.js';
import type { ConnectionDeps, ManageClientTuning } from './types.js';

/**
 * Timeouts and retries for calls a person waits on (the console's Authenticate, board lists):
 * fail within seconds rather than minutes, per the Developer Guide's interactive settings
 * (reference §5.4: 2–3 attempts, short base delay, a cap of a few seconds).
 */
export const INTERACTIVE_CLIENT_TUNING: ManageClientTuning = Object.freeze({
  timeoutMs: 15_000,
  retry: Object.freeze({
    maxAttempts: 2,
    baseDelayMs: 100,
    minDelayMs: 50,
    maxDelayMs: 2_000,
    maxRetryAfterMs: 5_000,
  }),
});

/** Options of {@link openManageClient}. */
export interface OpenManageClientOptions {
  /**
   * Receives the client's request, response, retry and codebase events. They carry no key, no
   * clientId and no query string, so they may be logged as they are. Default: none.
   */
  readonly onEvent?: ManageEventListener;
  /** Abandons the opening (the database read) when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * A client for the account's saved connection, on the codebase the last check found (so the
 * first call needs no lookup). When the client finds the codebase changed (a cloud upgrade,
 * reference §2.2) the new one is cached for the next client.
 *
 * @throws ConnectionNotConfiguredError when the account has no connection.
 * @throws SecretDecryptError when the private key cannot be decrypted with this master key.
 * @example
 * const client = await openManageClient(deps, accountId, { onEvent: (e) => log.debug(e) });
 * const boards = await client.boards.list().toArray();
 */
export async function openManageClient(
  deps: ConnectionDeps,
  accountId: string,
  options: OpenManageClientOptions = {},
): Promise<ManageClient> {
  options.signal?.throwIfAborted();
  const credentials = await getConnectionCredentials(deps.db, deps.secretBox, accountId);
  if (!credentials) throw new ConnectionNotConfiguredError(accountId);
  options.signal?.throwIfAborted();

  const onEvent = options.onEvent;
  return new ManageClient({
    site: credentials.apiBase,
    companyId: credentials.companyId,
    publicKey: credentials.publicKey,
    privateKey: credentials.privateKey,
    clientId: deps.config.clientId,
    codebase: credentials.codebase,
    ...clientTuning(deps.manage),
    onEvent: (event) => {
      if (event.type === 'codebase' && event.codebase !== credentials.codebase) {
        // A cache: if the write fails, the next client looks the codebase up again.
        updateCachedCodebase(deps.db, accountId, event.codebase).catch(() => undefined);
      }
      onEvent?.(event);
    },
  });
}
