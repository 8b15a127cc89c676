import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAccount } from '../accounts/accounts.js';
import type { ManageClientEvent } from '../connectwise/client/index.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { DEMO_CREDENTIALS, startSandbox } from '../sandbox/index.js';
import { SecretBox } from '../secrets/secret-box.js';
import { describeEachDialect } from '../storage/testing.js';
import { getBoardSettings } from './board-settings-store.js';
import {
  checkBoardSettings,
  saveBoardSettings,
  saveBoardSettingsByName,
} from './board-settings.js';
import { saveConnectionFromConfig } from './connection-service.js';
import { getConnectionCredentials } from './connection-store.js';
import {
  BoardSettingsRejectedError,
  ConnectionCheckFailedError,
  ConnectionNotConfiguredError,
} from './errors.js';
import { openManageClient } from './open-client.js';
import { DEMO_SELECTION, demoInput } from './test-support.js';
import type { BoardSelectionByName, ConnectionDeps } from './types.js';

const BY_NAME: BoardSelectionByName = {
  board: 'backup alerts',
  type: 'Backup',
  subtype: 'Failed',
  item: 'Job',
  newStatus: 'New',
  closedStatus: 'Resolved',
  team: 'Escalations',
  priorities: {
    critical: 'Priority 1 - Critical',
    high: 'Priority 2 - High',
    medium: 'Priority 3 - Normal',
    low: 'Priority 4 - Low',
  },
};

// Each test that changes the tenant gets its own sandbox, so no other test sees the change.
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describeEachDialect('connection library', (ctx) => {
  const deps = (): ConnectionDeps => ({
    db: ctx.db,
    secretBox: new SecretBox({ current: new Uint8Array(randomBytes(32)) }),
    config: { clientId: DEMO_CREDENTIALS.clientId },
    manage: { retry: { maxAttempts: 1 } },
  });

  /** A new account connected to `site` through configuration as code. */
  async function connected(site: RunningSandbox = sandbox, d: ConnectionDeps = deps()) {
    const account = await createAccount(ctx.db, { name: `MSP ${randomBytes(4).toString('hex')}` });
    await saveConnectionFromConfig(d, account.id, demoInput(site));
    return { accountId: account.id, deps: d };
  }

  describe('connection', () => {
    it('refuses a configured connection whose check fails, listing the problems', async () => {
      const account = await createAccount(ctx.db, { name: 'MSP' });
      const saving = saveConnectionFromConfig(
        deps(),
        account.id,
        demoInput(sandbox, { companyId: 'nope' }),
      );
      await expect(saving).rejects.toBeInstanceOf(ConnectionCheckFailedError);
      await expect(saving).rejects.toMatchObject({ problems: [{ code: 'unknown_company' }] });
      expect(await getConnectionCredentials(ctx.db, deps().secretBox, account.id)).toBeNull();
    });

    it('gives back the decrypted credentials inside the process', async () => {
      const { accountId, deps: d } = await connected();
      expect(await getConnectionCredentials(ctx.db, d.secretBox, accountId)).toEqual({
        site: sandbox.url,
        apiBase: sandbox.url,
        companyId: 'psademo',
        ...DEMO_CREDENTIALS.bridge,
        codebase: 'v2025_1/',
      });
    });

    it('opens a client on the cached codebase without looking it up again', async () => {
      const { accountId, deps: d } = await connected();
      sandbox.state.journal.clear();
      const events: ManageClientEvent[] = [];
      const client = await openManageClient(d, accountId, { onEvent: (e) => events.push(e) });

      await client.boards.get(21);
      expect(sandbox.state.journal.entries().map((e) => e.url)).toEqual([
        '/v2025_1/apis/3.0/service/boards/21',
      ]);
      expect(events.map((e) => e.type)).toEqual(['request', 'response']);
      expect(JSON.stringify(events)).not.toContain(DEMO_CREDENTIALS.bridge.privateKey);
    });

    it('caches a codebase that changed with a cloud upgrade', async () => {
      const own = await startSandbox();
      try {
        const { accountId, deps: d } = await connected(own);
        own.state.setCodebase('v2025_2/');
        const client = await openManageClient(d, accountId);
        await client.boards.get(21);

        await expect
          .poll(
            async () => (await getConnectionCredentials(ctx.db, d.secretBox, accountId))?.codebase,
          )
          .toBe('v2025_2/');
      } finally {
        await own.close();
      }
    });

    it('throws ConnectionNotConfiguredError for an account without a connection', async () => {
      const account = await createAccount(ctx.db, { name: 'MSP' });
      await expect(openManageClient(deps(), account.id)).rejects.toBeInstanceOf(
        ConnectionNotConfiguredError,
      );
    });
  });

  describe('board settings', () => {
    it('saves settings given by name, with ConnectWise’s spelling', async () => {
      const { accountId, deps: d } = await connected();
      const saved = await saveBoardSettingsByName(d, accountId, BY_NAME);

      expect(saved).toMatchObject({
        board: { id: 21, name: 'Backup Alerts' },
        closedStatus: { id: 104, name: 'Resolved' },
        team: { id: 12, name: 'Escalations' },
        priorities: { medium: { id: 3, name: 'Priority 3 - Normal' } },
      });
      expect(await getBoardSettings(ctx.db, accountId)).toEqual(saved);
    });

    it('names every name it cannot find, with the names that exist', async () => {
      const { accountId, deps: d } = await connected();
      const saving = saveBoardSettingsByName(d, accountId, {
        ...BY_NAME,
        type: 'Backups',
        closedStatus: 'Done',
        priorities: { ...BY_NAME.priorities, low: 'P4' },
      });
      await expect(saving).rejects.toBeInstanceOf(BoardSettingsRejectedError);
      const error = (await saving.catch((e: unknown) => e)) as BoardSettingsRejectedError;
      expect(error.problems.map((p) => `${p.field}:${p.code}`)).toEqual([
        'priorities.low:priority_not_found',
        'type:type_not_found',
        'closedStatus:closed_status_not_found',
      ]);
      expect(error.problems[1]?.fix).toContain('"Backup", "Device"');
      expect(error.message).toContain('has no type named "Backups"');
    });

    it('refuses an unknown board name before reading any board', async () => {
      const { accountId, deps: d } = await connected();
      const saving = saveBoardSettingsByName(d, accountId, { ...BY_NAME, board: 'Helpdesk' });
      await expect(saving).rejects.toMatchObject({
        problems: [
          {
            code: 'board_not_found',
            fix: 'Use one of the names that exist: "Backup Alerts", "Projects Intake".',
          },
        ],
      });
    });

    it('applies the same rules to names as to ids', async () => {
      const { accountId, deps: d } = await connected();
      const saving = saveBoardSettingsByName(d, accountId, {
        ...BY_NAME,
        board: 'Projects Intake',
        type: 'Project Request',
        subtype: null,
        item: null,
        closedStatus: 'Completed',
        team: null,
      });
      await expect(saving).rejects.toMatchObject({
        problems: [{ code: 'board_without_default_team' }],
      });
    });

    it('finds nothing wrong with settings that still work', async () => {
      const { accountId, deps: d } = await connected();
      const saved = await saveBoardSettings(d, accountId, DEMO_SELECTION);
      const client = await openManageClient(d, accountId);
      expect(await checkBoardSettings(client, saved)).toEqual([]);
    });

    it('reports a closed status, the default team and then the board removed in ConnectWise', async () => {
      const own = await startSandbox();
      try {
        const { accountId, deps: d } = await connected(own);
        const saved = await saveBoardSettings(d, accountId, DEMO_SELECTION);
        const client = await openManageClient(d, accountId);

        own.state.deleteBoardStatus('Backup Alerts', 'Closed');
        own.state.setBoardDefaultTeam('Backup Alerts', null);
        expect((await checkBoardSettings(client, saved)).map((p) => p.code)).toEqual([
          'board_without_default_team',
          'closed_status_not_found',
        ]);

        own.state.deleteBoard('Backup Alerts');
        const problems = await checkBoardSettings(client, saved);
        expect(problems).toEqual([
          {
            code: 'board_not_found',
            message: 'ConnectWise has no service board 21; it may have been deleted.',
            fix: expect.stringContaining('System › Setup Tables › Service Board') as string,
          },
        ]);
      } finally {
        await own.close();
      }
    });

    it('throws, rather than report a missing board, when ConnectWise refuses the keys', async () => {
      const own = await startSandbox();
      try {
        const { accountId, deps: d } = await connected(own);
        const saved = await saveBoardSettings(d, accountId, DEMO_SELECTION);
        own.state.revokeApiKey(DEMO_CREDENTIALS.bridge.publicKey);
        const client = await openManageClient(d, accountId);
        await expect(checkBoardSettings(client, saved)).rejects.toMatchObject({
          name: 'ManageAuthenticationError',
        });
      } finally {
        await own.close();
      }
    });
  });
});
