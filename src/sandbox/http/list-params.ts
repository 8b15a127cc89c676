/**
 * The query parameters of a ConnectWise list (§4): `conditions`, `childConditions`,
 * `customFieldConditions`, `orderBy`, `fields`, `page`, `pageSize`, `pageId`, and the
 * `pagination-type: forward-only` header (§4.3). Parameter names are matched ignoring case, as
 * ASP.NET binds them; every malformed value becomes a ConnectWise-shaped 400.
 */
import {
  compareBy,
  compileConditions,
  compileFields,
  ConditionsSyntaxError,
  equalityConstraints,
  OrderBySyntaxError,
  parseConditions,
  parseOrderBy,
} from '../../connectwise/conditions/index.js';
import type { ConditionNode, ConditionValue } from '../../connectwise/conditions/index.js';
import type { SandboxBehaviour } from '../behaviour.js';
import { badRequest } from '../cw-errors.js';

export const DEFAULT_PAGE_SIZE = 25;
/** "We have set a hard limit of 1,000 records" (§4.2). */
export const MAX_PAGE_SIZE = 1000;

type Predicate = (record: object) => boolean;

/** A parsed list request, ready to run against a table. */
export interface ListParams {
  readonly predicate: Predicate;
  /** From the top-level AND chain of `conditions`: lower-cased path → allowed literals. */
  readonly constraints: ReadonlyMap<string, readonly ConditionValue[]>;
  readonly compare?: (a: object, b: object) => number;
  readonly project?: (record: object) => object;
  readonly page: number;
  readonly pageSize: number;
  readonly forwardOnly: boolean;
  /** Forward-only cursor: only ids above it (§4.3). */
  readonly pageId: number;
}

/** Filter texts that may come from the query string or a `/search` body (§4.4). */
export interface FilterTexts {
  conditions?: string | undefined;
  childConditions?: string | undefined;
  customFieldConditions?: string | undefined;
  orderBy?: string | undefined;
}

/** Query parameters by lower-cased name, first occurrence wins. */
export class QueryParams {
  readonly #values = new Map<string, string>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const lower = key.toLowerCase();
      if (!this.#values.has(lower)) this.#values.set(lower, value);
    }
  }

  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }
}

/**
 * Reads a list request. `filters` (from a `/search` body) replace the query's filter texts.
 * @throws CwHttpError 400 for any malformed value.
 */
export function parseListParams(
  query: QueryParams,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  behaviour: SandboxBehaviour,
  filters?: FilterTexts,
): ListParams {
  const texts: FilterTexts = filters ?? {
    conditions: query.get('conditions'),
    childConditions: query.get('childConditions'),
    customFieldConditions: query.get('customFieldConditions'),
    orderBy: query.get('orderBy'),
  };
  const forwardOnly = String(headers['pagination-type'] ?? '').toLowerCase() === 'forward-only';

  const node = parse(texts.conditions, 'conditions');
  const parts: Predicate[] = [compileConditions(node, { likeWildcards: behaviour.likeWildcards })];
  if (texts.childConditions?.trim()) {
    parts.push(childPredicate(parse(texts.childConditions, 'childConditions'), behaviour));
  }
  if (texts.customFieldConditions?.trim()) {
    const custom = compileConditions(parse(texts.customFieldConditions, 'customFieldConditions'), {
      likeWildcards: behaviour.likeWildcards,
    });
    parts.push((record) => elementsOf(record, 'customFields').some((field) => custom(field)));
  }

  let compare: ((a: object, b: object) => number) | undefined;
  if (texts.orderBy?.trim()) {
    // "You cannot use an Order By query parameter with forward-only as it must be ordered by
    // the ID." (§4.3)
    if (forwardOnly) {
      throw badRequest(
        'You cannot use an Order By query parameter with forward-only pagination; results are ordered by id.',
      );
    }
    try {
      compare = compareBy(parseOrderBy(texts.orderBy));
    } catch (error) {
      if (error instanceof OrderBySyntaxError) throw badRequest(error.message);
      throw error;
    }
  }

  const fields = query.get('fields');
  const params: ListParams = {
    predicate: parts.length === 1 ? parts[0]! : (r) => parts.every((p) => p(r)),
    constraints: equalityConstraints(node),
    ...(compare ? { compare } : {}),
    ...(fields?.trim() ? { project: compileFields(fields) } : {}),
    // "page is ignored … all results are technically page 1" under forward-only (§4.3).
    page: forwardOnly ? 1 : positiveInt(query.get('page'), 'page', 1),
    pageSize: pageSizeOf(query.get('pageSize'), behaviour),
    forwardOnly,
    pageId: forwardOnly ? nonNegativeInt(query.get('pageId'), 'pageId') : 0,
  };
  return params;
}

/** Only the filter of a list request, for `/count` (paging is ignored there). */
export function parseCountParams(
  query: QueryParams,
  behaviour: SandboxBehaviour,
): Pick<ListParams, 'predicate' | 'constraints'> {
  const { predicate, constraints } = parseListParams(query, {}, behaviour, {
    conditions: query.get('conditions'),
    childConditions: query.get('childConditions'),
    customFieldConditions: query.get('customFieldConditions'),
  });
  return { predicate, constraints };
}

function parse(text: string | undefined, name: string): ConditionNode {
  try {
    return parseConditions(text ?? '');
  } catch (error) {
    if (error instanceof ConditionsSyntaxError) {
      throw badRequest(name === 'conditions' ? error.message : `${name}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * `childConditions` test elements of array fields (§4: `communicationItems/value like "…" AND
 * communicationItems/communicationType="Email"`): a record matches when some element of each array
 * the filter names satisfies the filter together.
 */
function childPredicate(node: ConditionNode, behaviour: SandboxBehaviour): Predicate {
  const predicate = compileConditions(node, { likeWildcards: behaviour.likeWildcards });
  const arrays = [...arrayNames(node)];
  return (record) => {
    const choices = arrays.map((name) => [name, elementsOf(record, name)] as const);
    const tryFrom = (index: number, view: Record<string, unknown>): boolean => {
      const choice = choices[index];
      if (!choice) return predicate(view);
      return choice[1].some((element) => tryFrom(index + 1, { ...view, [choice[0]]: element }));
    };
    return tryFrom(0, {});
  };
}

function arrayNames(node: ConditionNode, out = new Set<string>()): Set<string> {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const operand of node.operands) arrayNames(operand, out);
  } else {
    out.add(node.path.split('/')[0]!);
  }
  return out;
}

/** The object elements of an array field, matching its name ignoring case. */
function elementsOf(record: object, name: string): object[] {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === lower && Array.isArray(value)) {
      return value.filter((v): v is object => v !== null && typeof v === 'object');
    }
  }
  return [];
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw badRequest(`The value '${text}' is not valid for ${name}; use a whole number from 1.`);
  }
  return Number(text);
}

function nonNegativeInt(text: string | undefined, name: string): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw badRequest(
      `The value '${text}' is not valid for ${name}; use a record id (a whole number).`,
    );
  }
  return Number(text);
}

function pageSizeOf(text: string | undefined, behaviour: SandboxBehaviour): number {
  const size = positiveInt(text, 'pageSize', DEFAULT_PAGE_SIZE);
  if (size <= MAX_PAGE_SIZE) return size;
  if (behaviour.pageSizeAboveMax === 'clamp') return MAX_PAGE_SIZE;
  throw badRequest(`pageSize cannot be greater than ${MAX_PAGE_SIZE}; got ${size}.`);
}
