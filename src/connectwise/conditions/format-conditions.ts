import { literal } from './builder.js';
import type { ConditionNode } from './types.js';

/**
 * Writes a condition tree back as `conditions` text that parses to the same tree (datetimes lose
 * milliseconds, which ConnectWise does not accept). Useful for logs and for forwarding a filter.
 * A top-level `and` without operands (match everything) is written as `''`.
 *
 * @throws RangeError for an empty `or`, or an empty `and` below the top, which have no text (the
 *   parser never makes them), and for values {@link literal} cannot write.
 * @example
 * formatConditions(parseConditions('A=1 AND (b=2 OR c=3)')) // 'A = 1 and (b = 2 or c = 3)'
 */
export function formatConditions(node: ConditionNode): string {
  if (node.kind === 'and' && node.operands.length === 0) return '';
  return formatNode(node);
}

function formatNode(node: ConditionNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      if (node.operands.length === 0) {
        throw new RangeError(`An "${node.kind}" without operands inside conditions has no text.`);
      }
      return node.operands
        .map((operand) => formatOperand(operand, node.kind))
        .join(` ${node.kind} `);
    case 'compare':
      return `${node.path} ${node.operator} ${literal(node.value)}`;
    case 'contains':
    case 'like':
      return `${node.path} ${node.negated ? 'not ' : ''}${node.kind} ${literal(node.value)}`;
    case 'in': {
      const values = node.values.map(literal).join(', ');
      return `${node.path} ${node.negated ? 'not ' : ''}in (${values})`;
    }
  }
}

/** Parenthesises an operand unless AND-binds-tighter-than-OR already groups it. */
function formatOperand(operand: ConditionNode, parent: 'and' | 'or'): string {
  const text = formatNode(operand);
  const needsGroup = operand.kind === 'or' || (operand.kind === 'and' && parent === 'and');
  return needsGroup ? `(${text})` : text;
}
