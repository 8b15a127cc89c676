/**
 * Test helpers of the companies part: a ConnectWise client on a running sandbox with the demo
 * tenant's keys, so tests can sync without a stored connection.
 */
import { ManageClient } from '../connectwise/client/manage-client.js';
import {
  saveBoardSettingsByName,
  saveConnectionFromConfig,
  type ConnectionDeps,
} from '../connection/index.js';
import { DEMO_CREDENTIALS, type RunningSandbox } from '../sandbox/index.js';

/** A client of `sandbox` as one of the demo API members (default the bridge's own). */
export function sandboxClient(
  sandbox: Pick<RunningSandbox, 'url'>,
  member: 'bridge' | 'limited' | 'admin' = 'bridge',
): ManageClient {
  const keys = DEMO_CREDENTIALS[member];
  return new ManageClient({
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    clientId: DEMO_CREDENTIALS.clientId,
    codebase: DEMO_CREDENTIALS.codebase,
    retry: { maxAttempts: 1 },
  });
}

/** The demo tenant's "Backup Alerts" board, by name, as a configuration file would give it. */
export const DEMO_BOARD_BY_NAME = Object.freeze({
  board: 'Backup Alerts',
  type: 'Backup',
  subtype: 'Failed',
  item: 'Job',
  newStatus: 'New',
  closedStatus: 'Closed',
  team: null,
  priorities: Object.freeze({
    critical: 'Priority 1 - Critical',
    high: 'Priority 2 - High',
    medium: 'Priority 3 - Normal',
    low: 'Priority 4 - Low',
  }),
});

/**
 * Saves a connection to `sandbox` (the bridge's demo keys) and the demo board for `accountId`,
 * through the same checks an administrator's setup goes through.
 */
export async function connectToSandbox(
  deps: ConnectionDeps,
  accountId: string,
  sandbox: RunningSandbox,
): Promise<void> {
  await saveConnectionFromConfig(deps, accountId, {
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    publicKey: DEMO_CREDENTIALS.bridge.publicKey,
    privateKey: DEMO_CREDENTIALS.bridge.privateKey,
  });
  await saveBoardSettingsByName(deps, accountId, DEMO_BOARD_BY_NAME);
}
