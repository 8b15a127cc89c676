/**
 * Reads ConnectWise's RFC 8288 `Link` header (rels `first`, `prev`, `next`, `last`), which is how
 * the client pages: it follows `rel="next"` and never builds page URLs by counting
 * (reference §4.2, §4.3).
 */

/**
 * The links of a `Link` header, by relation (lower-cased). A link carrying several relations
 * (`rel="next last"`) is listed under each; the first link of a relation wins.
 *
 * @example
 * parseLinkHeader('<https://h/v1/apis/3.0/x?page=2>; rel="next", <https://h/…?page=4>; rel="last"');
 * // → { next: 'https://h/v1/apis/3.0/x?page=2', last: 'https://h/…?page=4' }
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;

  // Each link is `<uri>` followed by `; param` pieces. URIs may contain commas (an unencoded
  // `in (1,2)` condition), so links are found by their angle brackets, not by splitting on `,`.
  const linkPattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g;
  for (const match of header.matchAll(linkPattern)) {
    const uri = match[1] ?? '';
    const rels = relationsOf(match[2] ?? '');
    for (const rel of rels) if (!(rel in links)) links[rel] = uri;
  }
  return links;
}

/** The URL of `rel="next"`, or undefined on the last page. */
export function nextLink(header: string | null | undefined): string | undefined {
  const next = parseLinkHeader(header).next;
  return next === undefined || next.trim() === '' ? undefined : next;
}

function relationsOf(params: string): string[] {
  const paramPattern = /;\s*([^;,=\s]+)(?:\s*=\s*(?:"([^"]*)"|([^;,\s]*)))?/g;
  for (const param of params.matchAll(paramPattern)) {
    if (param[1]?.toLowerCase() !== 'rel') continue;
    const value = param[2] ?? param[3] ?? '';
    return value.toLowerCase().split(/\s+/).filter(Boolean);
  }
  return [];
}
