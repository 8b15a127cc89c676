/** Errors of the companies part; each message says what to do. */

/** Base class, so callers can branch on "a companies error" as a whole. */
export class CompaniesError extends Error {
  override name = 'CompaniesError';
}

/** A console company name that cannot be stored (empty, too long). */
export class CompanyNameError extends CompaniesError {
  override name = 'CompanyNameError';
  constructor(
    readonly companyName: string,
    reason: string,
  ) {
    super(`Company name ${JSON.stringify(companyName)} ${reason}.`);
  }
}

/** The account has no console company of that name (or id). */
export class CompanyNotFoundError extends CompaniesError {
  override name = 'CompanyNotFoundError';
  constructor(readonly companyName: string) {
    super(
      `This account has no company named ${JSON.stringify(companyName)}. Register it first (PUT /api/v1/companies/{name}), or check the spelling: names are case-sensitive.`,
    );
  }
}

/** A mapping change that the synced ConnectWise companies do not allow. */
export class CompanyMappingError extends CompaniesError {
  override name = 'CompanyMappingError';
  constructor(
    message: string,
    /** The request field the problem is about, e.g. `cwCompanyId`. */
    readonly field: string,
  ) {
    super(message);
  }
}

/** A company sync that stopped; `cause` holds the ConnectWise or database error. */
export class CompanySyncError extends CompaniesError {
  override name = 'CompanySyncError';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
