/**
 * A literal of the ConnectWise `conditions` language.
 *
 * `Date` stands for a `[2016-08-20T18:04:26Z]` datetime literal; the other members map one to one
 * onto `"text"`/`'text'`, numbers, `true`/`false` and `null` (reference §4.1).
 */
export type ConditionValue = string | number | boolean | null | Date;

/** The symbolic comparison operators of reference §4.1. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Every operand must hold. An `and` with no operands matches every record (empty `conditions`). */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly ConditionNode[];
}

/** At least one operand must hold. An `or` with no operands matches no record. */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly ConditionNode[];
}

/** `path <op> value`, e.g. `board/id = 5`, `closedFlag != true`, `value != null`. */
export interface CompareNode {
  readonly kind: 'compare';
  /** The field path as written, e.g. `Board/Id`; lookups ignore case. */
  readonly path: string;
  readonly operator: ComparisonOperator;
  readonly value: ConditionValue;
}

/** `path [not] contains value`: case-insensitive substring test. */
export interface ContainsNode {
  readonly kind: 'contains';
  readonly path: string;
  readonly negated: boolean;
  readonly value: ConditionValue;
}

/** `path [not] like value`: case-insensitive pattern with `*`/`%` wildcards. */
export interface LikeNode {
  readonly kind: 'like';
  readonly path: string;
  readonly negated: boolean;
  readonly value: ConditionValue;
}

/** `path [not] in (v1, v2, …)`: the list is never empty. */
export interface InNode {
  readonly kind: 'in';
  readonly path: string;
  readonly negated: boolean;
  readonly values: readonly ConditionValue[];
}

/**
 * The syntax tree of a `conditions` string.
 *
 * Parentheses leave no node behind, and nested `and`s (or `or`s) are flattened into one node, so
 * `a = 1 and (b = 2 and c = 3)` is a single `and` with three operands.
 */
export type ConditionNode = AndNode | OrNode | CompareNode | ContainsNode | LikeNode | InNode;

/** The nodes that test one field. */
export type PredicateNode = CompareNode | ContainsNode | LikeNode | InNode;
