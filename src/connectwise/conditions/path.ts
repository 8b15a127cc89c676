/** One segment of a field path: `company`, `_info`, `lastUpdated`. */
export const SEGMENT_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A field path as `conditions`, `orderBy` and `fields` accept it: `company/id`, `_info/x`. */
export const PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Reads one path from records; built once, called per record. */
export type PathAccessor = (record: unknown) => unknown;

/**
 * Value of an own property whose name matches `segment` ignoring case; `undefined` when `value` is
 * not a plain object (arrays and primitives have no named fields) or no key matches.
 *
 * Only own properties are read, so a path such as `constructor` or `__proto__` never reaches the
 * prototype.
 */
function readSegment(value: unknown, segment: string, lowerSegment: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const bag = value as Record<string, unknown>;
  if (Object.hasOwn(bag, segment)) return bag[segment];
  for (const key of Object.keys(bag)) {
    if (key.toLowerCase() === lowerSegment) return bag[key];
  }
  return undefined;
}

/**
 * Value at a `/`-separated path, matching each field name case-insensitively (ConnectWise accepts
 * `Board/Id` and `ClosedFlag` for `board.id` and `closedFlag`). A missing field, or a path running
 * through `null`, a primitive or an array, gives `undefined`.
 *
 * @example
 * getPath({ company: { id: 7 } }, 'Company/ID') // 7
 */
export function getPath(record: object, path: string): unknown {
  let value: unknown = record;
  for (const segment of path.split('/')) {
    value = readSegment(value, segment, segment.toLowerCase());
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * An accessor for one segment that remembers the key spelling it last found. Records of one store
 * share their key spelling, so after the first record a lookup is a single `hasOwn` check instead
 * of a scan of every key.
 */
function compileSegment(segment: string): (value: unknown) => unknown {
  const lower = segment.toLowerCase();
  let knownKey = segment;
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const bag = value as Record<string, unknown>;
    if (Object.hasOwn(bag, knownKey)) return bag[knownKey];
    for (const key of Object.keys(bag)) {
      if (key.toLowerCase() === lower) {
        knownKey = key;
        return bag[key];
      }
    }
    return undefined;
  };
}

/**
 * Compiles `path` into an accessor with the same result as {@link getPath}, fast enough to run over
 * every record of a large store.
 */
export function compilePath(path: string): PathAccessor {
  const steps = path.split('/').map(compileSegment);
  const [first, second] = steps;
  if (first === undefined) return () => undefined;
  if (steps.length === 1) return first;
  if (steps.length === 2 && second !== undefined) {
    return (record) => {
      const parent = first(record);
      return parent === undefined ? undefined : second(parent);
    };
  }
  return (record) => {
    let value: unknown = record;
    for (const step of steps) {
      value = step(value);
      if (value === undefined) return undefined;
    }
    return value;
  };
}
