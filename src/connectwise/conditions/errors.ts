/**
 * The part of ConnectWise's own 400 message for a malformed literal that explains every literal
 * form (reference §4.1, quoted from the server). The server prefixes it with what it expected
 * ("Expected a boolean value, not a numeric."); the parser prefixes "Expected a value, not …".
 */
export const LITERAL_FORMS_HINT =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean values should be indicated with the keywords true or false; null values should be indicated by the keyword null.';

/**
 * A `conditions` string that cannot be parsed. The sandbox answers it with a 400 whose message is
 * `message`; `position` is the 0-based character offset of the offending text.
 *
 * @example
 * try { parseConditions('id = abc') } catch (e) {
 *   if (e instanceof ConditionsSyntaxError) console.log(e.position) // 5
 * }
 */
export class ConditionsSyntaxError extends Error {
  override readonly name = 'ConditionsSyntaxError';
  /** 0-based offset into the conditions text where the problem was found. */
  readonly position: number;

  constructor(message: string, position: number, options?: ErrorOptions) {
    super(message, options);
    this.position = position;
  }
}

/** An `orderBy` string that cannot be parsed; `position` is the 0-based offset of the problem. */
export class OrderBySyntaxError extends Error {
  override readonly name = 'OrderBySyntaxError';
  /** 0-based offset into the orderBy text where the problem was found. */
  readonly position: number;

  constructor(message: string, position: number, options?: ErrorOptions) {
    super(message, options);
    this.position = position;
  }
}
