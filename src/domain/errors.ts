/**
 * Errors of the incident domain. Each says which input was wrong and what the caller should do;
 * callers branch on the class, never on the message.
 */

/** Base class of every error thrown by `src/domain`. */
export class DomainError extends Error {
  override name = 'DomainError';
}

/**
 * A time argument (`now`, an event's `occurredAt`, an observation's `at`) is not an ISO-8601
 * instant. The domain never reads the clock, so every time comes from the caller and is checked.
 */
export class InvalidTimeError extends DomainError {
  override name = 'InvalidTimeError';
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown) {
    super(
      `${field} must be an ISO-8601 date-time such as 2026-12-03T10:00:00Z, got ${JSON.stringify(value)}`,
    );
    this.field = field;
    this.value = value;
  }
}

/**
 * An incident state change that the transition table does not allow. This is a programming error
 * in the domain (or a hand-edited stored incident), never a consequence of event order.
 */
export class InvalidTransitionError extends DomainError {
  override name = 'InvalidTransitionError';
  readonly from: string;
  readonly to: string;
  readonly incidentKey: string;

  constructor(from: string, to: string, incidentKey: string) {
    super(
      `Incident ${incidentKey} cannot go from "${from}" to "${to}"; see INCIDENT_TRANSITIONS for the allowed moves`,
    );
    this.from = from;
    this.to = to;
    this.incidentKey = incidentKey;
  }
}

/**
 * An event or observation was applied to an incident it does not belong to (another account,
 * company, device or condition). Load the incident by `incidentKeyOf(event)` before applying.
 */
export class IncidentMismatchError extends DomainError {
  override name = 'IncidentMismatchError';
  readonly expectedKey: string;
  readonly actualKey: string;

  constructor(expectedKey: string, actualKey: string) {
    super(
      `Event belongs to incident ${expectedKey} but was applied to incident ${actualKey}; load the incident by incidentKeyOf(event)`,
    );
    this.expectedKey = expectedKey;
    this.actualKey = actualKey;
  }
}

/** One problem found in an admin's rules override. */
export interface RulesIssue {
  /** Dotted path of the offending setting, e.g. `events.backup.warning.threshold`. */
  path: string;
  message: string;
}

/**
 * An admin's rules override failed validation. `issues` lists every problem with its path, so a
 * console or the CLI can show them all at once.
 */
export class RulesValidationError extends DomainError {
  override name = 'RulesValidationError';
  readonly issues: readonly RulesIssue[];

  constructor(issues: readonly RulesIssue[], options?: { cause?: unknown }) {
    super(
      `Rules are invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
      options,
    );
    this.issues = issues;
  }
}
