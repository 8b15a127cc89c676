/** Errors of the accounts module; the API maps each class to one answer. */

/** Base class: every accounts error says what to do instead. */
export class AccountsError extends Error {
  override readonly name: string = 'AccountsError';
}

/** Another user of the install already has this email. */
export class EmailInUseError extends AccountsError {
  override readonly name = 'EmailInUseError';
  constructor(
    readonly email: string,
    options?: ErrorOptions,
  ) {
    super(`A user with email ${email} already exists; choose another email.`, options);
  }
}

/** The password does not meet the policy (`passwordProblem` says why). */
export class WeakPasswordError extends AccountsError {
  override readonly name = 'WeakPasswordError';
}

/** The change would leave the account without an enabled admin, locking everyone out. */
export class LastAdminError extends AccountsError {
  override readonly name = 'LastAdminError';
  constructor() {
    super(
      "This is the account's last enabled admin: make another user an admin first, then retry.",
    );
  }
}
