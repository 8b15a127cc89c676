/**
 * Errors the delivery handlers throw on purpose. Callers branch on the class: a blocked delivery
 * waits for an administrator's fix, a lost lease means another worker owns the job now.
 */

/**
 * Delivery cannot go on until an administrator fixes something outside the bridge's reach (a
 * company without a ConnectWise match, no board chosen, a ticket that no longer exists…).
 * `reason` says what is wrong, `fix` what to do; both are shown in the console as they are.
 */
export class DeliveryBlockedError extends Error {
  override name = 'DeliveryBlockedError';
  readonly reason: string;
  readonly fix: string;
  /** A stable code for the console to branch on, e.g. `no_board_settings`. */
  readonly code: string;

  constructor(code: string, reason: string, fix: string, options?: { cause?: unknown }) {
    super(`${reason} ${fix}`, options);
    this.code = code;
    this.reason = reason;
    this.fix = fix;
  }
}

/**
 * The job's lease expired and another worker claimed it while this one was still working: this
 * worker's result is discarded (the other run reconciles what this one did in ConnectWise).
 */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';

  constructor(readonly jobId: string) {
    super(
      `Job ${jobId} is no longer this worker's (its lease expired and another worker took it); ` +
        'its result was not recorded. Raise leaseMs if ConnectWise calls often outlast it.',
    );
  }
}

/**
 * A create that an earlier run sent may still be on its way through ConnectWise (its worker died
 * mid-call, or its answer was lost moments ago). Looking for the ticket now could miss it and
 * send a second create, so the job waits until that earlier request has certainly ended.
 */
export class CreateSettlingError extends Error {
  override name = 'CreateSettlingError';

  constructor(
    readonly externalXRef: string,
    readonly retryAfterMs: number,
  ) {
    super(
      `A create for correlation key ${externalXRef} was sent by an earlier run and may still be ` +
        `in flight; the ticket is looked for once it has settled (in ${Math.ceil(retryAfterMs / 1000)} s).`,
    );
  }
}
