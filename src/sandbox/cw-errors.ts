/**
 * The error answers ConnectWise gives, as the sandbox throws them. Handlers throw a
 * {@link CwHttpError}; the server turns it into the exact status, headers and body. Shapes follow
 * reference §5: `{code, message, errors}` with `errors` present only for validation, each item
 * `{code, message, resource, field}`.
 */
import type { ErrorBody, ValidationErrorItem } from '../connectwise/models.js';

/** A ConnectWise answer other than success. `body` is sent as JSON unless it is a string. */
export class CwHttpError extends Error {
  readonly status: number;
  readonly body: ErrorBody | string | Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    body: ErrorBody | string | Record<string, unknown>,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof body === 'string' ? body : String((body as { message?: unknown }).message));
    this.name = 'CwHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** 404 for a path no route serves (§5.2, captured from a real tenant). */
export function endpointNotFound(): CwHttpError {
  return new CwHttpError(404, {
    code: 'ConnectWiseApi',
    message: 'The endpoint does not exist.',
  });
}

/** 404 for a record named in the URL: `{"code":"NotFound","message":"Contact 57919 not found"}`. */
export function recordNotFound(message: string): CwHttpError {
  return new CwHttpError(404, { code: 'NotFound', message });
}

/** 403 when the member's security role lacks the endpoint's row (§5.2). */
export function securityDenied(): CwHttpError {
  return new CwHttpError(403, {
    code: 'Security',
    message: 'You do not have security permission to perform this action.',
  });
}

/** 405 for a method the URL does not support (§5.1), with the ASP.NET wording. */
export function methodNotAllowed(method: string, allowed: readonly string[]): CwHttpError {
  return new CwHttpError(
    405,
    {
      code: 'ConnectWiseApi',
      message: `The requested resource does not support http method '${method}'.`,
    },
    { allow: allowed.join(', ') },
  );
}

/**
 * 400 for a bad query parameter or request shape that is not a record validation: malformed
 * `conditions`, `orderBy`, `page`, `pageSize`, or a body that is not JSON. ConnectWise's code for
 * these is not captured; `InvalidObject` is the code its 400s carry (§5.2), and the message is
 * the server's own text where the reference quotes it.
 */
export function badRequest(message: string, errors?: ValidationErrorItem[]): CwHttpError {
  return new CwHttpError(
    400,
    errors ? { code: 'InvalidObject', message, errors } : { code: 'InvalidObject', message },
  );
}

/** 400 validation failure: `{"code":"InvalidObject","message":"ticket object is invalid",…}`. */
export function invalidObject(resource: string, errors: ValidationErrorItem[]): CwHttpError {
  return new CwHttpError(400, {
    code: 'InvalidObject',
    message: `${resource} object is invalid`,
    errors,
  });
}

/** Collects field errors for one record, in the order they are found. */
export class FieldErrors {
  readonly items: ValidationErrorItem[] = [];

  constructor(readonly resource: string) {}

  add(code: string, field: string, message: string): void {
    this.items.push({ code, message, resource: this.resource, field });
  }

  required(field: string): void {
    this.add('MissingRequiredField', field, `The ${field} field is required.`);
  }

  maxLength(field: string, max: number): void {
    this.add(
      'MaxLengthField',
      field,
      `The field ${field} must be a string with a maximum length of ${max}.`,
    );
  }

  notFound(field: string, message: string): void {
    this.add('NotFound', field, message);
  }

  invalid(field: string, message: string): void {
    this.add('InvalidField', field, message);
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws the collected errors as one `InvalidObject` 400, if there are any. */
  throwIfAny(): void {
    if (!this.empty) throw invalidObject(this.resource, this.items);
  }
}
