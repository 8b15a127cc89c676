import { compileAliasedPath, DEFAULT_ALIASES } from './aliases.js';
import type { ConditionNode, PredicateNode } from './types.js';
import { compareTest, containsTest, inTest, likeTest, type ValueTest } from './value-tests.js';

/** How {@link compileConditions} reads records. */
export interface CompileOptions {
  /**
   * Treat `*` and `%` in `like` patterns as wildcards (default `true`); `false` = a `like` clause
   * matches everything (the reference's "silently ignored" behaviour, §4.1).
   */
  likeWildcards?: boolean;
  /**
   * Field aliases applied before lookup (default `{ lastupdated: '_info/lastUpdated' }`), keys
   * lower-case. When the alias target is missing on a record, the path as written is read instead.
   */
  aliases?: Readonly<Record<string, string>>;
}

/** A compiled `conditions` filter. */
export type RecordPredicate = (record: object) => boolean;

interface Settings {
  readonly likeWildcards: boolean;
  readonly aliases: Readonly<Record<string, string>>;
}

/**
 * Compiles a parsed `conditions` tree into a predicate over records. The tree is turned into
 * closures once (literals converted, paths resolved, `in` lists hashed), so filtering a large store
 * runs no interpretation per record. The predicate never throws; `value-tests.ts` says how nulls,
 * case and mixed types compare.
 *
 * @example
 * const open = compileConditions(parseConditions('closedFlag = false and board/id in (1, 2)'));
 * tickets.filter(open);
 */
export function compileConditions(
  node: ConditionNode,
  options: CompileOptions = {},
): RecordPredicate {
  return compileNode(node, {
    likeWildcards: options.likeWildcards ?? true,
    aliases: options.aliases ?? DEFAULT_ALIASES,
  });
}

function compileNode(node: ConditionNode, settings: Settings): RecordPredicate {
  switch (node.kind) {
    case 'and':
      return allOf(node.operands.map((operand) => compileNode(operand, settings)));
    case 'or':
      return anyOf(node.operands.map((operand) => compileNode(operand, settings)));
    default: {
      const read = compileAliasedPath(node.path, settings.aliases);
      const test = valueTest(node, settings);
      return (record) => test(read(record));
    }
  }
}

function valueTest(node: PredicateNode, settings: Settings): ValueTest {
  switch (node.kind) {
    case 'compare':
      return compareTest(node.operator, node.value);
    case 'contains':
      return containsTest(node.value, node.negated);
    case 'like':
      return likeTest(node.value, node.negated, settings.likeWildcards);
    case 'in':
      return inTest(node.values, node.negated);
  }
}

// Short chains get dedicated closures: they are the common case and avoid a loop per record.
function allOf(parts: RecordPredicate[]): RecordPredicate {
  const [a, b] = parts;
  if (a === undefined) return () => true;
  if (parts.length === 1) return a;
  if (parts.length === 2 && b !== undefined) return (record) => a(record) && b(record);
  return (record) => {
    for (const part of parts) if (!part(record)) return false;
    return true;
  };
}

function anyOf(parts: RecordPredicate[]): RecordPredicate {
  const [a, b] = parts;
  if (a === undefined) return () => false;
  if (parts.length === 1) return a;
  if (parts.length === 2 && b !== undefined) return (record) => a(record) || b(record);
  return (record) => {
    for (const part of parts) if (part(record)) return true;
    return false;
  };
}
