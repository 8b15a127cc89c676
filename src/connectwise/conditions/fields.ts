import { PATH_PATTERN } from './path.js';

/** Requested fields by lower-cased name: `true` keeps the whole value, a subtree keeps parts. */
type FieldTree = Map<string, FieldTree | true>;

/**
 * Compiles a `fields` value (reference §4: `fields=id,name,status/id`) into a projection to run on
 * every record of a list. Names match case-insensitively and keep the record's own spelling and
 * key order; `status/id` keeps `status` as an object holding only `id`; a path through an array
 * (`communicationItems/value`) projects each element. Names that are not field paths are ignored,
 * and a value with no field paths at all projects nothing away (the record is returned as is).
 *
 * @example
 * compileFields('id, status/id')({ id: 1, summary: 'x', status: { id: 5, name: 'New' } })
 * // { id: 1, status: { id: 5 } }
 */
export function compileFields(fields: string): (record: object) => object {
  const tree: FieldTree = new Map();
  for (const raw of fields.split(',')) {
    const path = raw.trim();
    if (PATH_PATTERN.test(path)) addPath(tree, path.toLowerCase().split('/'));
  }
  if (tree.size === 0) return (record) => record;
  return (record) => projectObject(record, tree);
}

/**
 * Keeps only the listed fields of one record; see {@link compileFields}, which is the faster choice
 * for many records with the same `fields` value.
 *
 * @example
 * projectFields(company, 'id,name,status/id')
 */
export function projectFields(record: object, fields: string): object {
  return compileFields(fields)(record);
}

function addPath(tree: FieldTree, segments: readonly string[]): void {
  let node = tree;
  for (const [index, segment] of segments.entries()) {
    if (index === segments.length - 1) {
      node.set(segment, true); // the whole field wins over parts of it
      return;
    }
    const child = node.get(segment);
    if (child === true) return; // the whole field is already kept
    const next: FieldTree = child ?? new Map<string, FieldTree | true>();
    node.set(segment, next);
    node = next;
  }
}

function projectObject(value: object, tree: FieldTree): object {
  const bag = value as Record<string, unknown>;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(bag)) {
    const wanted = tree.get(key.toLowerCase());
    if (wanted === undefined) continue;
    entries.push([key, wanted === true ? bag[key] : projectValue(bag[key], wanted)]);
  }
  // fromEntries defines own properties, so a record key such as `__proto__` stays data.
  return Object.fromEntries(entries);
}

function projectValue(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((element: unknown) => projectValue(element, tree));
  if (value !== null && typeof value === 'object') return projectObject(value, tree);
  return value; // null or a scalar has no parts to drop
}
