/**
 * Errors of the connection part, for callers that branch: no connection saved, a check that did
 * not pass, board settings ConnectWise would not take. Each carries the problems it found.
 */
import type { FieldProblem, Problem } from './problem.js';
import type { ConnectionCheckReport } from './types.js';

/** The account has no ConnectWise connection saved. */
export class ConnectionNotConfiguredError extends Error {
  override readonly name = 'ConnectionNotConfiguredError';

  constructor(readonly accountId: string) {
    super(
      'No ConnectWise connection is saved for this account. Enter the API member keys in ' +
        'Settings › ConnectWise Manage (or the configuration file) and authenticate first.',
    );
  }
}

/** The connection check failed, so nothing was saved; `report` says what failed and why. */
export class ConnectionCheckFailedError extends Error {
  override readonly name = 'ConnectionCheckFailedError';
  readonly problems: readonly Problem[];

  constructor(readonly report: ConnectionCheckReport) {
    super(
      `The ConnectWise connection was not saved: ${report.problems
        .map((p) => `${p.message} ${p.fix}`)
        .join(' | ')}`,
    );
    this.problems = report.problems;
  }
}

/** A private key is needed and none was given or saved before. */
export class PrivateKeyRequiredError extends Error {
  override readonly name = 'PrivateKeyRequiredError';

  constructor() {
    super(
      'Enter the private key: no connection with a private key is saved yet. ConnectWise shows ' +
        'it once, when the API key is created; if it is lost, create a new API key.',
    );
  }
}

/** The board settings were refused, so nothing was saved; `problems` names each field. */
export class BoardSettingsRejectedError extends Error {
  override readonly name = 'BoardSettingsRejectedError';

  constructor(readonly problems: readonly FieldProblem[]) {
    super(
      `The service-board settings were not saved: ${problems
        .map((p) => `${p.message} ${p.fix}`)
        .join(' | ')}`,
    );
  }
}
