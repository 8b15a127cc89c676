/**
 * Edit distance with a ceiling, for telling a typo in a company name from a different company.
 *
 * Counts insertions, deletions, substitutions and swaps of two neighbouring characters (the
 * "optimal string alignment" distance): `Contsoo` is one slip away from `Contoso`, as a person
 * would count it, where plain Levenshtein says two.
 */

/**
 * The edit distance between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`;
 * stopping early keeps a check against a long name to a few rows of the table.
 *
 * @example
 * boundedEditDistance('contsoo', 'contoso', 2); // 1
 * boundedEditDistance('acme', 'globex', 2);     // 3 (more than 2)
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;

  // Three rows of the table: the swap of neighbours looks two rows back.
  let twoBack = new Int32Array(m + 1);
  let previous = Int32Array.from({ length: m + 1 }, (_, j) => j);
  let current = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, twoBack[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // Every path to the last cell crosses this row; a swap reaching back past it costs at least
    // as much as the cell it skips, so the row minimum is a lower bound of the result.
    if (rowMin > max) return max + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return Math.min(previous[m]!, max + 1);
}
