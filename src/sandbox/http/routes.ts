/**
 * The sandbox's ConnectWise routes, compiled from the shared `ENDPOINTS` so the client and the
 * sandbox cannot drift. Paths match ignoring case (ASP.NET routing does); `:id` and `:parentId`
 * take digits only, so `/company/companies/count` and `/company/companies/statuses` are never
 * read as ids and a non-numeric id finds no route (404), as a typed route constraint would.
 */
import type { EndpointDef, EndpointName } from '../../connectwise/endpoints.js';
import { ENDPOINTS } from '../../connectwise/endpoints.js';

export interface RouteMatch {
  readonly name: EndpointName;
  readonly def: EndpointDef;
  readonly params: { readonly id?: number; readonly parentId?: number };
}

interface CompiledRoute {
  readonly name: EndpointName;
  readonly def: EndpointDef;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

const ROUTES: readonly CompiledRoute[] = (Object.keys(ENDPOINTS) as EndpointName[]).map((name) => {
  const def: EndpointDef = ENDPOINTS[name];
  const paramNames: string[] = [];
  const source = def.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(segment.slice(1));
      return '(\\d+)';
    })
    .join('/');
  return { name, def, pattern: new RegExp(`^${source}/?$`, 'i'), paramNames };
});

/** What a path under `/apis/3.0` matches: one route, a path with other methods, or nothing. */
export type RouteLookup =
  | { readonly kind: 'match'; readonly route: RouteMatch }
  | { readonly kind: 'wrongMethod'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/** Finds the route for `method` and `apiPath` (the path after `/apis/3.0`, starting with `/`). */
export function findRoute(method: string, apiPath: string): RouteLookup {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const m = route.pattern.exec(apiPath);
    if (!m) continue;
    if (route.def.method !== method) {
      allowed.push(route.def.method);
      continue;
    }
    const params: Record<string, number> = {};
    route.paramNames.forEach((param, i) => {
      params[param] = Number(m[i + 1]);
    });
    return { kind: 'match', route: { name: route.name, def: route.def, params } };
  }
  return allowed.length > 0 ? { kind: 'wrongMethod', allowed } : { kind: 'none' };
}
