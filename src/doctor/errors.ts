/** Errors of the doctor's test ticket; each says what to do. */
import type { Problem } from '../connection/problem.js';

/** The company cannot take tickets; nothing was written to ConnectWise. */
export class TestTicketRefusedError extends Error {
  override readonly name = 'TestTicketRefusedError';

  constructor(
    readonly company: string,
    readonly problem: Problem,
  ) {
    super(`No test ticket was created for '${company}': ${problem.message} ${problem.fix}`);
  }
}

/** No service board is chosen for the account. */
export class BoardNotConfiguredError extends Error {
  override readonly name = 'BoardNotConfiguredError';

  constructor() {
    super(
      'No service board is chosen for this account. Choose one in Settings › ConnectWise Manage › Service board (or the board section of the configuration file) first.',
    );
  }
}

/** The test ticket was created but not closed; it has to be closed by hand. */
export class TestTicketCloseError extends Error {
  override readonly name = 'TestTicketCloseError';

  constructor(
    readonly ticketId: number,
    readonly link: string,
    closedStatus: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `The test ticket #${ticketId} was created but could not be set to "${closedStatus}": ${reason} Close it by hand (${link}) and check that "${closedStatus}" is a closed status of the board.`,
      options,
    );
  }
}
