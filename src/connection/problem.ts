/**
 * What stops the integration from working, said the way an administrator can act on it: a stable
 * `code` to branch on, what is wrong, and how to fix it.
 */

/**
 * One thing that stops tickets, e.g. `{ code: 'wrong_keys', message: 'ConnectWise refused the
 * public and private key …', fix: 'Create a new API key …' }`. Codes are stable; wording is not.
 */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

/** A problem with one field of a request, e.g. the closed status of the board settings. */
export interface FieldProblem extends Problem {
  /** The request field it concerns, e.g. `closedStatusId` or `priorities.high`. */
  readonly field: string;
}
