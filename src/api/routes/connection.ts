/**
 * Settings › ConnectWise Manage over HTTP: the connection (check, save, show masked, remove),
 * the boards and priorities ConnectWise offers, and the board settings. ConnectWise calls made
 * here use short, interactive timeouts; their events are logged at debug level (they carry no
 * key). The private key is taken in and never given out.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ManageClient, ManageEventListener } from '../../connectwise/client/index.js';
import {
  ManageApiError,
  ManageAuthenticationError,
  ManageNotFoundError,
  ManagePermissionError,
} from '../../connectwise/client/index.js';
import type {
  ConnectionCheckReport,
  ConnectionDeps,
  FieldProblem,
} from '../../connection/index.js';
import * as connection from '../../connection/index.js';
import { SecretDecryptError } from '../../secrets/errors.js';
import type { RouteModule } from '../app-types.js';
import * as contract from '../contract/connection.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

export const connectionRoutes: RouteModule = (app, deps) => {
  const connectionDeps: ConnectionDeps = {
    db: deps.storage.db,
    secretBox: deps.secretBox,
    config: deps.config,
    now: deps.now,
    manage: connection.INTERACTIVE_CLIENT_TUNING,
  };
  const events =
    (log: FastifyBaseLogger): ManageEventListener =>
    (event) =>
      log.debug({ connectwise: event }, 'connectwise call');

  /** A client on the account's connection; every failure becomes an answer. */
  const withClient = async <T>(
    accountId: string,
    log: FastifyBaseLogger,
    work: (client: ManageClient) => Promise<T>,
  ): Promise<T> => {
    try {
      const client = await connection.openManageClient(connectionDeps, accountId, {
        onEvent: events(log),
      });
      return await work(client);
    } catch (error) {
      throw answerFor(error);
    }
  };

  route(app, contract.getConnection, async ({ auth }) => {
    const saved = await connection.findConnection(deps.storage.db, auth.accountId);
    return { connection: saved && connectionView(saved) };
  });

  route(app, contract.saveConnection, async ({ auth, body, request }) => {
    const input = await complete(connectionDeps, auth.accountId, body);
    const result = await connection.saveConnection(connectionDeps, auth.accountId, input, {
      onEvent: events(request.log),
    });
    logCheck(request.log, auth.accountId, result.report, result.saved);
    if (!result.saved) throw checkFailed(result.report);
    return { connection: connectionView(result.connection), check: checkView(result.report) };
  });

  route(app, contract.checkConnection, async ({ auth, body, request }) => {
    const onEvent = events(request.log);
    let check: ConnectionCheckReport;
    if (body === undefined || body === null) {
      check = await connection
        .recheckConnection(connectionDeps, auth.accountId, { onEvent })
        .catch((error: unknown) => {
          throw answerFor(error);
        });
    } else {
      const input = await complete(connectionDeps, auth.accountId, body);
      check = await connection.checkConnection(input, {
        clientId: deps.config.clientId,
        now: deps.now,
        manage: connection.INTERACTIVE_CLIENT_TUNING,
        onEvent,
      });
    }
    logCheck(request.log, auth.accountId, check, false);
    return { check: checkView(check) };
  });

  route(app, contract.deleteConnection, async ({ auth, request }) => {
    if (!(await connection.removeConnection(connectionDeps, auth.accountId))) {
      throw new ApiError('not_found', 'This account has no ConnectWise connection to remove.');
    }
    request.log.info({ accountId: auth.accountId }, 'connectwise connection removed');
  });

  route(app, contract.listBoards, async ({ auth, request }) => ({
    boards: await withClient(auth.accountId, request.log, (client) =>
      connection.listBoardSummaries(client),
    ),
  }));

  route(app, contract.getBoardOptions, async ({ auth, params, request }) =>
    withClient(auth.accountId, request.log, async (client) => {
      const setup = await connection.findBoardSetup(client, params.id);
      if (!setup) throw new ApiError('not_found', `ConnectWise has no service board ${params.id}.`);
      return boardOptionsView(connection.boardOptionsOf(setup));
    }),
  );

  route(app, contract.listPriorities, async ({ auth, request }) => ({
    priorities: await withClient(auth.accountId, request.log, (client) =>
      connection.listPriorityOptions(client),
    ),
  }));

  route(app, contract.getBoardSettings, async ({ auth }) => ({
    boardSettings: await connection.getBoardSettings(deps.storage.db, auth.accountId),
  }));

  route(app, contract.saveBoardSettings, async ({ auth, body, request }) => {
    try {
      const boardSettings = await connection.saveBoardSettings(
        connectionDeps,
        auth.accountId,
        body,
        { onEvent: events(request.log) },
      );
      request.log.info(
        { accountId: auth.accountId, boardId: boardSettings.board.id },
        'connectwise board settings saved',
      );
      return { boardSettings };
    } catch (error) {
      throw answerFor(error);
    }
  });
};

// The connection part's shapes use readonly arrays; answers are plain copies of them.

function checkView(report: ConnectionCheckReport): contract.ConnectionCheckView {
  return {
    ...report,
    steps: [...report.steps],
    permissions: [...report.permissions],
    problems: [...report.problems],
  };
}

function connectionView(view: connection.ConnectionView): contract.ConnectionViewBody {
  return { ...view, lastCheck: view.lastCheck && checkView(view.lastCheck) };
}

function boardOptionsView(options: connection.BoardOptions): contract.BoardOptionsView {
  return {
    board: options.board,
    types: [...options.types],
    subtypes: [...options.subtypes],
    items: [...options.items],
    combinations: [...options.combinations],
    statuses: [...options.statuses],
    teams: [...options.teams],
  };
}

/** The body with the saved private key filled in when it is left out. */
async function complete(
  deps: ConnectionDeps,
  accountId: string,
  body: contract.ConnectionInputBody,
): Promise<connection.ConnectionInput> {
  try {
    return await connection.completeConnectionInput(deps, accountId, body);
  } catch (error) {
    throw answerFor(error);
  }
}

/** One line per check: what was checked and what failed, by code (never a key). */
function logCheck(
  log: FastifyBaseLogger,
  accountId: string,
  report: ConnectionCheckReport,
  saved: boolean,
): void {
  log.info(
    {
      accountId,
      site: report.site,
      companyId: report.companyId,
      ok: report.ok,
      saved,
      problems: report.problems.map((p) => p.code),
    },
    'connectwise connection checked',
  );
}

function checkFailed(report: ConnectionCheckReport): ApiError {
  const [first] = report.problems;
  return new ApiError(
    'validation_failed',
    `ConnectWise did not accept this connection, so it was not saved: ${first?.message ?? 'the check failed.'} ${first?.fix ?? ''}`.trim(),
    { errors: report.problems.map(detailOf) },
  );
}

function detailOf(problem: FieldProblem): { path: string; message: string } {
  return { path: problem.field, message: `${problem.message} ${problem.fix} (${problem.code})` };
}

/** The API answer for what the connection part or the ConnectWise client threw. */
function answerFor(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof connection.PrivateKeyRequiredError) {
    return new ApiError('validation_failed', error.message, {
      errors: [{ path: 'privateKey', message: error.message }],
      cause: error,
    });
  }
  if (error instanceof connection.ConnectionNotConfiguredError) {
    return new ApiError('conflict', error.message, { cause: error });
  }
  if (error instanceof connection.BoardSettingsRejectedError) {
    const [first] = error.problems;
    return new ApiError(
      'validation_failed',
      `These board settings would not work, so they were not saved: ${first?.message ?? ''} ${first?.fix ?? ''}`.trim(),
      { errors: error.problems.map(detailOf), cause: error },
    );
  }
  if (error instanceof SecretDecryptError) {
    return new ApiError(
      'conflict',
      'The saved private key cannot be decrypted with this installation’s master key. Enter the ConnectWise keys again in Settings › ConnectWise Manage.',
      { cause: error },
    );
  }
  if (error instanceof ManageAuthenticationError) {
    return new ApiError(
      'conflict',
      `ConnectWise refused the saved API keys: ${error.message} Check the connection in Settings › ConnectWise Manage (the keys may have been revoked or the API member deactivated).`,
      { cause: error },
    );
  }
  if (error instanceof ManagePermissionError) {
    return new ApiError(
      'conflict',
      `${error.message} Grant it on the API member's security role in ConnectWise (System › Security Roles).`,
      { cause: error },
    );
  }
  if (error instanceof ManageNotFoundError && !error.endpointMissing) {
    return new ApiError('not_found', error.message, { cause: error });
  }
  if (error instanceof ManageApiError) {
    return new ApiError(
      'unavailable',
      `ConnectWise could not be reached or failed to answer: ${error.message}`,
      { cause: error },
    );
  }
  return error;
}
