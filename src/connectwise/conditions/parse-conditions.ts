// Recursive-descent parser for the ConnectWise `conditions` language (reference §4.1, §10 "Lists &
// filters"). It reads the text directly instead of tokenising first, because what a character
// means depends on where it stands (`in` is an operator after a field and a field name before one),
// and because the error for a bad literal must quote the text where a value was expected.
//
// Grammar (keywords in any case, whitespace optional around symbols):
//   conditions := ε | or
//   or         := and ("or" and)*            -- AND binds tighter than OR, as in SQL
//   and        := primary ("and" primary)*
//   primary    := "(" or ")" | path predicate
//   predicate  := ("=" | "!=" | "<" | "<=" | ">" | ">=") value
//               | ["not"] ("contains" | "like") value
//               | ["not"] "in" "(" value ("," value)* ")"
//   value      := "…" | '…' | [ISO-8601] | number | true | false | null
//   number     := -?digits(.digits)?
//
// String escapes are an assumption, since the reference states none: inside either quote style a
// backslash escapes `"`, `'` and `\`; any other backslash is kept as written, so `"C:\temp"` still
// means C:\temp. The builder always writes double quotes and escapes `\` and `"`, so every text it
// produces reads back exactly.
import { ConditionsSyntaxError, LITERAL_FORMS_HINT } from './errors.js';
import { parseIsoInstant } from './instant.js';
import type { ComparisonOperator, ConditionNode, ConditionValue } from './types.js';

/** Deeper nesting than this is refused, so hostile input cannot exhaust the call stack. */
const MAX_NESTING = 100;

const SPACE = /\s*/y;
const PATH = /[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const SYMBOLS = /[=!<>]+/y;
const CHUNK = /[,)]|[^\s,)]+/y;
const WORD_CHAR = /[A-Za-z0-9_.]/;
const SYMBOLIC_OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const OPERATOR_LIST =
  '=, !=, <, <=, >, >=, contains, like or in (contains, like and in may follow not)';

/**
 * Parses a `conditions` string into a {@link ConditionNode}. Empty or blank text parses to an
 * `and` with no operands, which matches every record (a list without a filter).
 *
 * @throws ConditionsSyntaxError for any malformed input, never another error type. A bad literal
 *   carries ConnectWise's own server text ({@link LITERAL_FORMS_HINT}).
 * @example
 * parseConditions('board/name = "Integration" and summary not contains \'test\'')
 */
export function parseConditions(text: string): ConditionNode {
  if (typeof text !== 'string') {
    throw new ConditionsSyntaxError(`conditions must be a string, not ${typeof text}.`, 0);
  }
  try {
    return new ConditionsParser(text).parseAll();
  } catch (error) {
    if (error instanceof ConditionsSyntaxError) throw error;
    // Defensive: the parser has no other failure mode, but callers rely on one error type.
    throw new ConditionsSyntaxError('The conditions could not be parsed.', 0, { cause: error });
  }
}

class ConditionsParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseAll(): ConditionNode {
    this.skipSpace();
    if (this.atEnd()) return { kind: 'and', operands: [] };
    const node = this.parseOr();
    this.skipSpace();
    if (!this.atEnd()) {
      if (this.text[this.pos] === ')') {
        throw this.fail(`Unexpected ")" at position ${this.pos}: it has no matching "(".`);
      }
      throw this.fail(`Expected "and", "or" or the end of the conditions, ${this.found()}.`);
    }
    return node;
  }

  // ---- Logic: OR of ANDs, parentheses -----------------------------------------------------------

  private parseOr(): ConditionNode {
    const operands = [this.parseAnd()];
    while (this.acceptKeyword('or')) operands.push(this.parseAnd());
    return combine('or', operands);
  }

  private parseAnd(): ConditionNode {
    const operands = [this.parsePrimary()];
    while (this.acceptKeyword('and')) operands.push(this.parsePrimary());
    return combine('and', operands);
  }

  private parsePrimary(): ConditionNode {
    this.skipSpace();
    if (this.text[this.pos] !== '(') return this.parsePredicate();

    const open = this.pos;
    if (this.depth >= MAX_NESTING) {
      throw this.fail(
        `Parentheses are nested more than ${MAX_NESTING} levels deep at position ${open}; simplify the conditions.`,
      );
    }
    this.pos++;
    this.depth++;
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      throw this.fail(`Empty parentheses at position ${open}: put a condition inside "()".`, open);
    }
    const node = this.parseOr();
    this.skipSpace();
    if (this.atEnd()) {
      throw this.fail(`Missing ")" to close the "(" at position ${open}.`, open);
    }
    if (this.text[this.pos] !== ')') {
      throw this.fail(
        `Expected "and", "or" or ")" to close the "(" at position ${open}, ${this.found()}.`,
      );
    }
    this.pos++;
    this.depth--;
    return node;
  }

  // ---- One field test ---------------------------------------------------------------------------

  private parsePredicate(): ConditionNode {
    const start = this.pos;
    const path = this.match(PATH);
    if (path === undefined) throw this.fail(`Expected a field name, ${this.found()}.`);
    // No ConnectWise field is called and/or/not; reading them as keywords gives a useful message
    // for `a = 1 and and b = 2` or `not (a = 1)` instead of a complaint about a missing operator.
    const keyword = path.toLowerCase();
    if (keyword === 'and' || keyword === 'or') {
      this.pos = start;
      throw this.fail(`Expected a field name, ${this.found()}.`);
    }
    if (keyword === 'not') {
      throw this.fail(
        `"not" at position ${start} must follow a field name and precede contains, like or in (e.g. summary not contains "x"); it cannot negate a group or comparison.`,
        start,
      );
    }
    if (this.text[this.pos] === '/') {
      throw this.fail(
        `Incomplete field path "${path}/" at position ${this.pos}: a field name must follow "/".`,
      );
    }
    this.skipSpace();

    const symbols = this.match(SYMBOLS);
    if (symbols !== undefined) {
      if (!SYMBOLIC_OPERATORS.has(symbols)) {
        this.pos -= symbols.length;
        throw this.fail(
          `Unknown operator "${symbols}" after "${path}" at position ${this.pos}; use ${OPERATOR_LIST}.`,
        );
      }
      return {
        kind: 'compare',
        path,
        operator: symbols as ComparisonOperator,
        value: this.parseValue(),
      };
    }

    const operatorAt = this.pos;
    let word = this.match(WORD)?.toLowerCase();
    let negated = false;
    if (word === 'not') {
      negated = true;
      this.skipSpace();
      word = this.match(WORD)?.toLowerCase();
      if (word !== 'contains' && word !== 'like' && word !== 'in') {
        this.pos -= word?.length ?? 0;
        throw this.fail(
          `"not" after "${path}" must be followed by contains, like or in, ${this.found()}.`,
        );
      }
    }
    if (word === 'contains' || word === 'like') {
      return { kind: word, path, negated, value: this.parseValue() };
    }
    if (word === 'in') return { kind: 'in', path, negated, values: this.parseList() };

    this.pos = operatorAt;
    throw this.fail(`Expected an operator after "${path}", ${this.found()}; use ${OPERATOR_LIST}.`);
  }

  private parseList(): ConditionValue[] {
    this.skipSpace();
    const open = this.pos;
    if (this.text[open] !== '(') {
      throw this.fail(`Expected "(" to open the list after "in", ${this.found()}.`);
    }
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      throw this.fail(
        `The "in" list at position ${open} is empty; give at least one value, e.g. in (1, 2).`,
        open,
      );
    }

    const values: ConditionValue[] = [];
    for (;;) {
      values.push(this.parseValue());
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ')') return values;
      if (next === ',') continue;
      this.pos--;
      if (this.atEnd()) {
        throw this.fail(`Missing ")" to close the "in" list at position ${open}.`, open);
      }
      throw this.fail(`Expected "," or ")" in the "in" list at position ${open}, ${this.found()}.`);
    }
  }

  // ---- Literals ---------------------------------------------------------------------------------

  private parseValue(): ConditionValue {
    this.skipSpace();
    const start = this.pos;
    const first = this.text[start];
    if (first === '"' || first === "'") return this.parseString(first);
    if (first === '[') return this.parseDatetime();

    const number = this.match(NUMBER);
    if (number !== undefined && !this.followedByWordChar()) return Number(number);
    this.pos = start;

    const word = this.match(WORD);
    if (word !== undefined && !this.followedByWordChar()) {
      const lower = word.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
    }
    this.pos = start;
    throw this.fail(
      `Expected a value, not ${this.describeHere()} (position ${start}). ${LITERAL_FORMS_HINT}`,
    );
  }

  private parseString(quote: string): string {
    const open = this.pos;
    const { text } = this;
    let out = '';
    let segment = open + 1;
    for (let i = segment; i < text.length; i++) {
      const ch = text[i];
      if (ch === quote) {
        this.pos = i + 1;
        return out + text.slice(segment, i);
      }
      const next = text[i + 1];
      if (ch === '\\' && (next === '"' || next === "'" || next === '\\')) {
        out += text.slice(segment, i) + next;
        i++;
        segment = i + 1;
      }
    }
    throw this.fail(
      `Unterminated string starting at position ${open}: add the closing ${quote} (inside a string write \\${quote} for a quote and \\\\ for a backslash).`,
      open,
    );
  }

  private parseDatetime(): Date {
    const open = this.pos;
    const close = this.text.indexOf(']', open + 1);
    if (close < 0) {
      throw this.fail(
        `Unterminated datetime starting at position ${open}: close it with "]".`,
        open,
      );
    }
    const inner = this.text.slice(open + 1, close).trim();
    const time = parseIsoInstant(inner);
    if (Number.isNaN(time)) {
      throw this.fail(
        `Invalid datetime [${clip(inner)}] at position ${open}: write an ISO-8601 instant such as [2016-08-20T18:04:26Z].`,
        open,
      );
    }
    this.pos = close + 1;
    return new Date(time);
  }

  // ---- Scanning helpers -------------------------------------------------------------------------

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.text);
    this.pos = SPACE.lastIndex;
  }

  /** Consumes sticky `pattern` at the cursor; its text, or `undefined` without moving. */
  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null) return undefined;
    this.pos = pattern.lastIndex;
    return m[0];
  }

  private followedByWordChar(): boolean {
    const next = this.text[this.pos];
    return next !== undefined && WORD_CHAR.test(next);
  }

  /** Consumes `keyword` in any case when it stands as a whole word at the cursor. */
  private acceptKeyword(keyword: string): boolean {
    this.skipSpace();
    const end = this.pos + keyword.length;
    if (this.text.slice(this.pos, end).toLowerCase() !== keyword) return false;
    const after = this.text[end];
    if (after !== undefined && WORD_CHAR.test(after)) return false;
    this.pos = end;
    return true;
  }

  /** The text at the cursor, quoted and clipped, or "the end of the conditions". */
  private describeHere(): string {
    if (this.atEnd()) return 'the end of the conditions';
    CHUNK.lastIndex = this.pos;
    const chunk = CHUNK.exec(this.text)?.[0] ?? this.text.slice(this.pos, this.pos + 1);
    return quote(clip(chunk));
  }

  private found(): string {
    return `found ${this.describeHere()} at position ${this.pos}`;
  }

  private fail(message: string, position = this.pos): ConditionsSyntaxError {
    return new ConditionsSyntaxError(message, position);
  }
}

/** Joins operands, flattening nested nodes of the same kind; one operand needs no node. */
function combine(kind: 'and' | 'or', operands: ConditionNode[]): ConditionNode {
  if (operands.length === 1 && operands[0] !== undefined) return operands[0];
  const flat: ConditionNode[] = [];
  for (const operand of operands) {
    // A loop, not push(...operands): a group may hold more operands than a call takes arguments.
    if (operand.kind === kind) for (const inner of operand.operands) flat.push(inner);
    else flat.push(operand);
  }
  return { kind, operands: flat };
}

/** Quotes text for a message with a quote character it does not contain. */
function quote(text: string): string {
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  return `\`${text}\``;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
