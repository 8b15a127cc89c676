/** The doctor's report: sections for the account, then one line per console company. */
import type { Problem } from '../connection/problem.js';

/**
 * How much a problem matters: `error` stops tickets; `warning` lets tickets through but spoils
 * them (a summary cut at 100 characters); `info` is a choice an administrator made (ticketing
 * switched off for a company) or what is left unchecked because of an error elsewhere.
 */
export type DoctorSeverity = 'error' | 'warning' | 'info';

/** A problem with its severity. */
export interface DoctorProblem extends Problem {
  readonly severity: DoctorSeverity;
}

/** The account-wide checks, in the order they run. */
export type DoctorSectionName = 'connection' | 'board' | 'sync' | 'rules';

/** One account-wide check. */
export interface DoctorSection {
  readonly name: DoctorSectionName;
  /** `skipped`: an earlier check failed, so this one could not run. */
  readonly status: 'ok' | 'problems' | 'skipped';
  /** One line for people, e.g. `20,000 companies and 31,022 contacts synced`. */
  readonly summary: string;
  readonly problems: readonly DoctorProblem[];
}

/** One console company. */
export interface DoctorCompanyLine {
  readonly name: string;
  /**
   * Tickets are on and no error-severity problem of its own stops them (account-wide problems
   * are in the sections).
   */
  readonly ready: boolean;
  readonly ticketingEnabled: boolean;
  /** `exact`, `manual`, `suggestion`, `unmatched`, `ambiguous`, `missing` or `not_synced`. */
  readonly mapping: string;
  readonly cwCompany: {
    readonly id: number;
    readonly identifier: string;
    readonly name: string;
  } | null;
  /** The contact tickets will name. */
  readonly contact: { readonly id: number; readonly name: string } | null;
  readonly problems: readonly DoctorProblem[];
}

/** Everything the doctor found for one account. */
export interface DoctorReport {
  /** True when nothing of severity `error` was found. */
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly sections: readonly DoctorSection[];
  readonly companies: readonly DoctorCompanyLine[];
  readonly summary: {
    readonly companies: number;
    readonly ready: number;
    readonly errors: number;
    readonly warnings: number;
  };
}

/** Counts the problems of `severity` in a report's sections and companies. */
export function countProblems(
  sections: readonly DoctorSection[],
  companies: readonly DoctorCompanyLine[],
  severity: DoctorSeverity,
): number {
  let count = 0;
  for (const owner of [...sections, ...companies]) {
    count += owner.problems.filter((p) => p.severity === severity).length;
  }
  return count;
}
