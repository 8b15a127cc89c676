/**
 * The ConnectWise Manage REST API 3.0 client: credentials, codebase, URLs and paging, with the
 * resource calls (`client.tickets.create(…)`, …) on top.
 *
 * Every URL comes from `ENDPOINTS`, so the sandbox (which registers its routes from the same
 * definitions) and the client cannot disagree on a path. The client never logs; it reports
 * through `onEvent`.
 */
import type { EndpointName, HttpMethod } from '../endpoints.js';
import { CLASSIC_CODEBASE, COMPANY_INFO_PATH, ENDPOINTS, fillPath } from '../endpoints.js';
import type { CompanyInfo, SystemInfo } from '../models.js';
import type { CallSite } from './errors.js';
import {
  ManageApiError,
  ManageConfigError,
  ManageNotFoundError,
  ManageSiteError,
  UnknownCompanyError,
} from './errors.js';
import type { ManageClientEvent, ManageEventListener } from './events.js';
import type { HttpRequest, HttpResponse, HttpSettings, Sleep } from './http.js';
import { defaultSleep, sendWithRetries } from './http.js';
import { nextLink } from './link-header.js';
import { ManageList } from './manage-list.js';
import type { ListQueryOptions, QueryOptions } from './query.js';
import {
  conditionsQuery,
  encodeQuery,
  linkQuery,
  listQuery,
  MAX_PAGE_SIZE,
  mergeNextQuery,
  sameQuery,
} from './query.js';
import type {
  BoardsApi,
  CompaniesApi,
  ContactsApi,
  PrioritiesApi,
  ProjectTicketsApi,
  TicketNotesApi,
  TicketsApi,
} from './resources.js';
import {
  boardsApi,
  companiesApi,
  contactsApi,
  prioritiesApi,
  projectTicketsApi,
  ticketNotesApi,
  ticketsApi,
} from './resources.js';
import type { RetryPolicy } from './retry.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { resolveApiBase } from './site.js';

/** How to reach and authenticate against one ConnectWise tenant. */
export interface ManageClientOptions {
  /** The site as typed: `na.myconnectwise.net`, `cw.example.com`, `http://127.0.0.1:8080`. */
  readonly site: string;
  /** The login company id (case-sensitive), as on the ConnectWise sign-in screen. */
  readonly companyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  /** The integration's clientId GUID, sent on every call (reference §1.4). */
  readonly clientId: string;
  /**
   * Pins the model version: `Accept: application/vnd.connectwise.com+json; version=2025.1`.
   * Default: unpinned (ConnectWise serves its latest models, reference §2.3).
   */
  readonly apiVersion?: string;
  /**
   * The codebase, e.g. `v2025_1/`, when already known (saves the first lookup). Default: looked
   * up with `/login/companyinfo/{companyId}` before the first call.
   */
  readonly codebase?: string;
  /** Timeout of each attempt of each request. Default 30,000 ms. */
  readonly timeoutMs?: number;
  /** Retry policy overrides; see {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Receives request, response, failure, retry and codebase events. Default: none. */
  readonly onEvent?: ManageEventListener;
  /** Accept `http://` for non-loopback hosts (a sandbox in another container). Default false. */
  readonly allowInsecureHttp?: boolean;
  /** Replaces global `fetch`, for edge-case tests only. */
  readonly fetch?: typeof fetch;
  /** Replaces the wait between retries, for tests. Default: a timer. */
  readonly sleep?: Sleep;
  /** Replaces `Math.random` in backoff jitter, for tests. */
  readonly random?: () => number;
}

/** Per-call options. */
export interface RequestOptions {
  /** Cancels the call (and any wait between retries). */
  readonly signal?: AbortSignal;
  /** Timeout of each attempt. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** Options of a list iteration. */
export interface ListOptions extends ListQueryOptions, RequestOptions {}

/** Options of a single page read. */
export interface PageOptions extends ListOptions {
  /** 1-based page number (navigable paging). Default 1. */
  readonly page?: number;
  /** Forward-only paging: return records with `id > pageId`. Default: from the first record. */
  readonly pageId?: number;
}

/** Options of a count. */
export interface CountOptions extends QueryOptions, RequestOptions {}

/** One page of a list, and where the next one starts. */
export interface ListPage<T> {
  readonly records: T[];
  /** True when ConnectWise linked a next page. */
  readonly hasNext: boolean;
  /** `page` of the next page (navigable paging), from the `rel="next"` link. */
  readonly nextPage?: number;
  /** `pageId` of the next page (forward-only paging), from the `rel="next"` link. */
  readonly nextPageId?: number;
}

/** A call to one of `ENDPOINTS`, as the resource methods describe it. */
export interface EndpointCall {
  readonly endpoint: EndpointName;
  /** Values of the path's `:placeholders`. */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly query?: readonly [string, string][];
  readonly body?: unknown;
  /** Overrides the method's default (true for a read-only POST such as `…/search`). */
  readonly idempotent?: boolean;
}

/** What the resource modules need from the client. */
export interface ManageTransport {
  call<T>(call: EndpointCall, options?: RequestOptions): Promise<T>;
  list<T>(call: EndpointCall, options?: ListOptions): ManageList<T>;
  page<T>(call: EndpointCall, options?: PageOptions): Promise<ListPage<T>>;
  count(call: EndpointCall, options?: CountOptions): Promise<number>;
}

/** Timeout of one request when `timeoutMs` is not given. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A client for one ConnectWise tenant and API member.
 *
 * @example
 * const client = new ManageClient({ site: 'na.myconnectwise.net', companyId: 'acme',
 *   publicKey, privateKey, clientId, onEvent: (e) => log.debug(e) });
 * const ticket = await client.tickets.create({ summary: 'Backup failed', company: { id: 250 },
 *   externalXRef: 'psabridge:acme:dev-42:backup.failed' });
 */
export class ManageClient {
  /** The API origin the site resolved to, e.g. `https://api-na.myconnectwise.net`. */
  readonly apiBase: string;
  readonly companyId: string;

  readonly companies: CompaniesApi;
  readonly contacts: ContactsApi;
  readonly tickets: TicketsApi;
  readonly ticketNotes: TicketNotesApi;
  readonly boards: BoardsApi;
  readonly priorities: PrioritiesApi;
  readonly projectTickets: ProjectTicketsApi;

  // Credentials live in private fields only, so they never show in inspect or JSON output.
  readonly #authorization: string;
  readonly #clientId: string;
  readonly #accept: string;
  readonly #http: HttpSettings;
  readonly #listener: ManageEventListener | undefined;
  #codebase: string | undefined;
  #lookup: Promise<CompanyInfo> | undefined;

  constructor(options: ManageClientOptions) {
    this.apiBase = resolveApiBase(options.site, {
      ...(options.allowInsecureHttp !== undefined && {
        allowInsecureHttp: options.allowInsecureHttp,
      }),
    });
    this.companyId = requireToken(options.companyId, 'company ID');
    const publicKey = requireToken(options.publicKey, 'public key');
    const privateKey = requireToken(options.privateKey, 'private key');
    this.#clientId = requireToken(options.clientId, 'clientId');
    this.#authorization = `Basic ${Buffer.from(`${this.companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
    this.#accept = acceptHeader(options.apiVersion);
    this.#codebase =
      options.codebase === undefined ? undefined : normalizeCodebase(options.codebase);
    this.#listener = options.onEvent;

    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new ManageConfigError(
        `timeoutMs must be a positive number of milliseconds; got ${timeoutMs}.`,
      );
    }
    this.#http = {
      fetch: options.fetch ?? globalThis.fetch,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      timeoutMs,
      emit: (event) => this.#emit(event),
      companyId: this.companyId,
      secrets: [publicKey, privateKey, this.#clientId, this.#authorization.slice('Basic '.length)],
    };

    const transport: ManageTransport = {
      call: (call, callOptions) => this.#callJson(call, callOptions),
      list: (call, listOptions) => this.#list(call, listOptions),
      page: (call, pageOptions) => this.#page(call, pageOptions),
      count: (call, countOptions) => this.#count(call, countOptions),
    };
    this.companies = companiesApi(transport);
    this.contacts = contactsApi(transport);
    this.tickets = ticketsApi(transport);
    this.ticketNotes = ticketNotesApi(transport);
    this.boards = boardsApi(transport);
    this.priorities = prioritiesApi(transport);
    this.projectTickets = projectTicketsApi(transport);
  }

  /**
   * The unauthenticated codebase lookup `GET /login/companyinfo/{companyId}` (reference §2.2).
   * Also sets the codebase later calls use.
   * @throws UnknownCompanyError when the site does not know the company id.
   * @throws ManageSiteError when the answer is not ConnectWise's (HTML, no `Codebase`).
   */
  async companyInfo(options: RequestOptions = {}): Promise<CompanyInfo> {
    const path = fillPath(COMPANY_INFO_PATH, { companyId: this.companyId });
    const site: CallSite = { method: 'GET', path };
    let response: HttpResponse;
    try {
      response = await this.#send(
        {
          ...site,
          url: new URL(path, this.apiBase),
          headers: this.#headers(false),
          idempotent: true,
        },
        options,
      );
    } catch (error) {
      if (error instanceof ManageNotFoundError) throw notConnectWise(this.apiBase, site, error);
      throw error;
    }

    // Unknown company: 200 with the JSON `null` (reference §2.2).
    const body = parseJsonOrUndefined(response.text);
    if (body === null) {
      throw new UnknownCompanyError({
        ...site,
        status: 200,
        rawBody: response.text,
        companyId: this.companyId,
        site: this.apiBase,
      });
    }
    if (!isCompanyInfo(body)) throw notConnectWise(this.apiBase, site, undefined, response);
    this.#setCodebase(normalizeCodebase(body.Codebase));
    return body;
  }

  /** The codebase calls use, looking it up first if needed, e.g. `v2025_1/`. */
  async codebase(options: RequestOptions = {}): Promise<string> {
    if (this.#codebase !== undefined) return this.#codebase;
    await this.#sharedLookup(options);
    return this.#codebase ?? CLASSIC_CODEBASE;
  }

  /** `GET /system/info`: version and cloud flag; the usual "do these keys work" call (§2.4). */
  systemInfo(options: RequestOptions = {}): Promise<SystemInfo> {
    return this.#callJson({ endpoint: 'systemInfo' }, options);
  }

  // ---- calls -------------------------------------------------------------------------------

  /** One endpoint call whose answer is JSON (or nothing, for 204). */
  async #callJson<T>(call: EndpointCall, options: RequestOptions = {}): Promise<T> {
    const response = await this.#callEndpoint(call, options, {});
    return parseJson(
      response,
      ENDPOINTS[call.endpoint].method,
      this.#pathOf(call),
      call.endpoint,
    ) as T;
  }

  /**
   * Sends an endpoint call on the current codebase. When ConnectWise says the endpoint does not
   * exist (or its gateway cannot route), the codebase is looked up again once, and the call is
   * sent once more if it changed: cloud upgrades move tenants to a new codebase and the old one
   * answers 404 (reference §2.2, §6). Nothing was processed on the old codebase, so this is safe
   * even for a create.
   */
  async #callEndpoint(
    call: EndpointCall,
    options: RequestOptions,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const def = ENDPOINTS[call.endpoint];
    const path = this.#pathOf(call);
    let codebase = await this.codebase(options);
    for (let lookedUpAgain = false; ; lookedUpAgain = true) {
      const query = call.query && call.query.length > 0 ? `?${encodeQuery(call.query)}` : '';
      const url = new URL(`/${codebase}apis/3.0${path}${query}`, this.apiBase);
      try {
        return await this.#send(
          {
            method: def.method,
            path,
            endpoint: call.endpoint,
            url,
            headers: { ...this.#headers(true, call.body !== undefined), ...headers },
            ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
            idempotent: call.idempotent ?? def.method !== 'POST',
            codebase,
          },
          options,
        );
      } catch (error) {
        if (lookedUpAgain || !isWrongRoute(error)) throw error;
        const stale = codebase;
        codebase = await this.#codebaseAfterMiss(stale, options);
        if (codebase === stale) throw error;
      }
    }
  }

  #send(
    request: Omit<HttpRequest, 'signal' | 'timeoutMs'>,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    return sendWithRetries(this.#http, {
      ...request,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  #headers(authenticated: boolean, hasBody = false): Record<string, string> {
    return {
      ...(authenticated && { authorization: this.#authorization }),
      clientId: this.#clientId,
      accept: this.#accept,
      ...(hasBody && { 'content-type': 'application/json' }),
    };
  }

  #pathOf(call: EndpointCall): string {
    return fillPath(ENDPOINTS[call.endpoint].path, call.params);
  }

  // ---- lists -------------------------------------------------------------------------------

  #list<T>(call: EndpointCall, options: ListOptions = {}): ManageList<T> {
    const ours = [...(call.query ?? []), ...listQuery(options, MAX_PAGE_SIZE)];
    return new ManageList<T>(async (cursor) => {
      const query = cursor === undefined ? ours : mergeNextQuery(cursor, ours);
      const { records, next } = await this.#fetchPage<T>({ ...call, query }, options);
      if (next === undefined) return { records };
      const nextQuery = linkQuery(next);
      // A next link back to the page just read would loop forever; ConnectWise never sends one.
      if (records.length > 0 && sameQuery([...nextQuery.entries()], query)) {
        throw new ManageApiError(
          `ConnectWise's next-page link for ${ENDPOINTS[call.endpoint].method} ${this.#pathOf(call)} points at the page just read; stopping instead of looping.`,
          {
            method: ENDPOINTS[call.endpoint].method,
            path: this.#pathOf(call),
            endpoint: call.endpoint,
          },
        );
      }
      return { records, next: nextQuery };
    });
  }

  async #page<T>(call: EndpointCall, options: PageOptions = {}): Promise<ListPage<T>> {
    const position: [string, string][] =
      options.paging === 'forward-only'
        ? options.pageId === undefined
          ? []
          : [['pageId', String(options.pageId)]]
        : options.page === undefined
          ? []
          : [['page', String(options.page)]];
    const query = [...(call.query ?? []), ...listQuery(options), ...position];
    const { records, next } = await this.#fetchPage<T>({ ...call, query }, options);
    const nextParams = next === undefined ? undefined : linkQuery(next);
    const nextPage = numberParam(nextParams, 'page');
    const nextPageId = numberParam(nextParams, 'pageId');
    return {
      records,
      hasNext: next !== undefined && records.length > 0,
      ...(nextPage !== undefined && { nextPage }),
      ...(nextPageId !== undefined && { nextPageId }),
    };
  }

  async #fetchPage<T>(
    call: EndpointCall,
    options: ListOptions,
  ): Promise<{ records: T[]; next: string | undefined }> {
    const headers: Record<string, string> =
      options.paging === 'forward-only' ? { 'pagination-type': 'forward-only' } : {};
    const response = await this.#callEndpoint(call, options, headers);
    const method = ENDPOINTS[call.endpoint].method;
    const body = parseJson(response, method, this.#pathOf(call), call.endpoint);
    if (!Array.isArray(body)) {
      throw new ManageSiteError(
        `${method} ${this.#pathOf(call)} answered with something other than a list; ConnectWise lists are JSON arrays. Check the site.`,
        {
          method,
          path: this.#pathOf(call),
          endpoint: call.endpoint,
          status: response.status,
          rawBody: response.text,
        },
      );
    }
    return { records: body as T[], next: nextLink(response.headers.get('link')) };
  }

  async #count(call: EndpointCall, options: CountOptions = {}): Promise<number> {
    const body = await this.#callJson<unknown>(
      { ...call, query: [...(call.query ?? []), ...conditionsQuery(options)] },
      options,
    );
    const count = (body as { count?: unknown } | null)?.count;
    if (typeof count !== 'number') {
      const method = ENDPOINTS[call.endpoint].method;
      throw new ManageSiteError(
        `${method} ${this.#pathOf(call)} did not answer {"count": N}. Check the site.`,
        {
          method,
          path: this.#pathOf(call),
          endpoint: call.endpoint,
        },
      );
    }
    return count;
  }

  // ---- codebase ----------------------------------------------------------------------------

  /** One lookup at a time, shared by every call waiting for it. */
  #sharedLookup(options: RequestOptions): Promise<CompanyInfo> {
    this.#lookup ??= this.companyInfo(options).finally(() => {
      this.#lookup = undefined;
    });
    return this.#lookup;
  }

  /** The codebase after a call found its endpoint missing on `stale`. */
  async #codebaseAfterMiss(stale: string, options: RequestOptions): Promise<string> {
    // Another call may already have found the new codebase.
    if (this.#codebase !== undefined && this.#codebase !== stale) return this.#codebase;
    await this.#sharedLookup(options);
    return this.#codebase ?? stale;
  }

  #setCodebase(codebase: string): void {
    const previous = this.#codebase;
    this.#codebase = codebase;
    if (previous !== codebase) this.#emit({ type: 'codebase', previous, codebase });
  }

  #emit(event: ManageClientEvent): void {
    try {
      this.#listener?.(event);
    } catch {
      // A listener's own failure must not turn a successful call into a failed one.
    }
  }
}

/** A 404 "endpoint does not exist", or the cloud gateway's `Cannot route` 400 (reference §2.2). */
function isWrongRoute(error: unknown): boolean {
  if (error instanceof ManageNotFoundError) return error.endpointMissing;
  return error instanceof ManageApiError && error.code === 'CannotRoute';
}

function parseJson(
  response: HttpResponse,
  method: HttpMethod,
  path: string,
  endpoint: EndpointName,
): unknown {
  if (response.status === 204 || response.text.trim() === '') return undefined;
  const body = parseJsonOrUndefined(response.text);
  if (body === undefined) {
    throw new ManageSiteError(
      `${method} ${path} answered HTTP ${response.status} with a body that is not JSON; the site is probably not the ConnectWise API host.`,
      { method, path, endpoint, status: response.status, rawBody: response.text },
    );
  }
  return body;
}

/** The parsed body, or undefined when it is not JSON. */
function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isCompanyInfo(body: unknown): body is CompanyInfo {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { Codebase?: unknown }).Codebase === 'string'
  );
}

function notConnectWise(
  apiBase: string,
  site: CallSite,
  cause?: unknown,
  response?: HttpResponse,
): ManageSiteError {
  const what =
    response === undefined
      ? 'has no /login/companyinfo'
      : "answered /login/companyinfo with something that is not ConnectWise's company info";
  return new ManageSiteError(
    `${apiBase} ${what}: it is probably not a ConnectWise site. Check the site (cloud: na.myconnectwise.net, eu.…, au.…; on-premise: your server's host name).`,
    {
      ...site,
      ...(cause !== undefined && { cause }),
      ...(response !== undefined && { status: response.status, rawBody: response.text }),
    },
  );
}

/** `v2025_1/`: the codebase with exactly one trailing slash (reference §2.2). */
function normalizeCodebase(codebase: string): string {
  const trimmed = codebase.trim().replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9_.-]+$/.test(trimmed)) {
    throw new ManageConfigError(
      `"${codebase}" is not a ConnectWise codebase; codebases look like v2025_1/ or v4_6_release/.`,
    );
  }
  return `${trimmed}/`;
}

function acceptHeader(apiVersion: string | undefined): string {
  if (apiVersion === undefined) return 'application/json';
  if (!/^\d{4}\.\d{1,2}$/.test(apiVersion)) {
    throw new ManageConfigError(
      `apiVersion must look like 2025.1 (a ConnectWise release); got "${apiVersion}".`,
    );
  }
  return `application/vnd.connectwise.com+json; version=${apiVersion}`;
}

/** A credential field: present, and without spaces (usually a copy-and-paste slip). */
function requireToken(value: string, label: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new ManageConfigError(`The ConnectWise ${label} is empty.`);
  if (/\s/.test(trimmed)) {
    throw new ManageConfigError(
      `The ConnectWise ${label} contains spaces; copy it again without them.`,
    );
  }
  return trimmed;
}

function numberParam(params: URLSearchParams | undefined, name: string): number | undefined {
  for (const [key, value] of params?.entries() ?? []) {
    if (key.toLowerCase() === name.toLowerCase() && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}
