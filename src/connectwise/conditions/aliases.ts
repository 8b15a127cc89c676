import { compilePath, type PathAccessor } from './path.js';

/**
 * `lastUpdated` works on every ConnectWise object even though it lives in `_info` (reference §4.1:
 * "All objects react to the LastUpdated query even if no such field exists in the object format").
 */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  lastupdated: '_info/lastUpdated',
});

/** The path an alias maps `path` to (keys are lower-case), or `undefined` when none applies. */
export function aliasTarget(
  path: string,
  aliases: Readonly<Record<string, string>>,
): string | undefined {
  const key = path.toLowerCase();
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined;
}

/**
 * Accessor for `path` after aliasing. The alias target is read first; when it is missing the path
 * as written is tried, so a record that carries the field itself (`{ lastUpdated }` without
 * `_info`) still answers.
 */
export function compileAliasedPath(
  path: string,
  aliases: Readonly<Record<string, string>>,
): PathAccessor {
  const target = aliasTarget(path, aliases);
  const direct = compilePath(path);
  if (target === undefined) return direct;
  const viaAlias = compilePath(target);
  return (record) => {
    const value = viaAlias(record);
    return value === undefined ? direct(record) : value;
  };
}
