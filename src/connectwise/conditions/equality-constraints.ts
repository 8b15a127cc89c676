import { aliasTarget, DEFAULT_ALIASES } from './aliases.js';
import type { CompileOptions } from './compile-conditions.js';
import type { ConditionNode, ConditionValue } from './types.js';

/**
 * Equality and `in` constraints that every matching record satisfies: lower-cased path (after
 * aliasing, so `lastUpdated` becomes `_info/lastupdated`) → the literals its value must equal one
 * of. Only the top-level AND chain contributes; with an OR at the top the map is empty.
 *
 * The constraints are necessary, not sufficient: a store may answer from an index on a path and
 * must still run the compiled predicate over the candidates. Values are the literals as written,
 * so an index must match them the way the predicate does (text ignores case, `"5"` equals `5`).
 * When a path is constrained twice, the shorter list is kept; both hold.
 *
 * @example
 * equalityConstraints(parseConditions('board/id in (1, 2) and closedFlag = false'))
 * // Map { 'board/id' => [1, 2], 'closedflag' => [false] }
 */
export function equalityConstraints(
  node: ConditionNode,
  options: Pick<CompileOptions, 'aliases'> = {},
): Map<string, ConditionValue[]> {
  const aliases = options.aliases ?? DEFAULT_ALIASES;
  const constraints = new Map<string, ConditionValue[]>();

  const collect = (conjunct: ConditionNode): void => {
    let values: readonly ConditionValue[];
    if (conjunct.kind === 'and') {
      conjunct.operands.forEach(collect);
      return;
    } else if (conjunct.kind === 'compare' && conjunct.operator === '=') {
      values = [conjunct.value];
    } else if (conjunct.kind === 'in' && !conjunct.negated) {
      values = conjunct.values;
    } else {
      return;
    }
    const key = (aliasTarget(conjunct.path, aliases) ?? conjunct.path).toLowerCase();
    const known = constraints.get(key);
    if (known === undefined || values.length < known.length) constraints.set(key, [...values]);
  };

  collect(node);
  return constraints;
}
