// The ConnectWise `conditions` / `orderBy` / `fields` query language (reference §4, §4.1, §10
// "Lists & filters"): parsed and evaluated by the Manage sandbox, built by the client.
export type {
  AndNode,
  ComparisonOperator,
  CompareNode,
  ConditionNode,
  ConditionValue,
  ContainsNode,
  InNode,
  LikeNode,
  OrNode,
  PredicateNode,
} from './types.js';
export { ConditionsSyntaxError, LITERAL_FORMS_HINT, OrderBySyntaxError } from './errors.js';
export { parseConditions } from './parse-conditions.js';
export {
  compileConditions,
  type CompileOptions,
  type RecordPredicate,
} from './compile-conditions.js';
export { equalityConstraints } from './equality-constraints.js';
export { DEFAULT_ALIASES } from './aliases.js';
export { compilePath, getPath, PATH_PATTERN, type PathAccessor } from './path.js';
export { compareBy, compareValues, parseOrderBy, type OrderTerm } from './order-by.js';
export { compileFields, projectFields } from './fields.js';
export { literal, where, type ConditionBuilder } from './builder.js';
export { formatConditions } from './format-conditions.js';
export { formatInstant, parseIsoInstant } from './instant.js';
