/**
 * The sandbox's request pipeline, on node's own `http` module so every byte of an answer (and
 * the lack of one, for injected faults) is under control.
 *
 * For a ConnectWise call the steps are, in order: read the body (bounded), apply fault rules,
 * route the codebase, check `clientId`, authenticate, find the endpoint (404/405), check the
 * security role (403, before anything else the endpoint does), run the handler. Admin routes under
 * `/__sandbox/` skip all of it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { CLASSIC_CODEBASE } from '../../connectwise/endpoints.js';
import { handleAdmin } from '../admin.js';
import { CwHttpError, endpointNotFound, methodNotAllowed, securityDenied } from '../cw-errors.js';
import type { FaultController, FaultDecision } from '../faults/fault-controller.js';
import { HANDLERS } from '../handlers/index.js';
import type { HandlerContext } from '../handlers/context.js';
import { Hrefs } from '../render.js';
import type { MemberRecord } from '../state/records.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { authenticate, checkClientId, DropConnection } from './auth.js';
import { bodyTooLarge, parseJsonBody, readBody } from './body.js';
import { QueryParams } from './list-params.js';
import type { RouteMatch } from './routes.js';
import { findRoute } from './routes.js';

/** What the pipeline needs beyond the request. */
export interface PipelineDeps {
  readonly state: SandboxState;
  readonly faults: FaultController;
  /** Aborted when the sandbox closes: held and delayed requests end at once. */
  readonly closing: AbortSignal;
}

/** An answer to send: status, body (JSON unless a string), extra headers. */
interface Answer {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Where a path leads, before authentication. */
type Target =
  | { kind: 'companyInfo'; companyId: string }
  | { kind: 'api'; codebase: string; apiPath: string; doubled: boolean }
  | { kind: 'other' };

/** The gateway's answer for a path it cannot route (§2.2, observed on cloud). */
const CANNOT_ROUTE = 'Cannot route. Codebase/company is invalid';

/** Handles one request; never throws (a failure becomes an answer or a closed socket). */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PipelineDeps,
): Promise<void> {
  const { state } = deps;
  const url = requestUrl(req);
  if (!url) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad Request');
    return;
  }
  if (/^\/__sandbox(\/|$)/.test(url.pathname)) {
    try {
      await handleAdmin(req, res, url, deps);
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      }
      res.end(JSON.stringify({ error: { code: 'internal', message: (error as Error).message } }));
    }
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let endpoint: string | undefined;
  let member: MemberRecord | undefined;
  let decision: FaultDecision | undefined;
  const record = (status: number): void =>
    state.journal.record({
      at: state.timestamp(),
      method,
      url: `${url.pathname}${url.search}`,
      ...(endpoint ? { endpoint } : {}),
      status,
      ...(member ? { member: member.identifier } : {}),
      ...(decision && decision.ruleIds.length > 0 ? { fault: decision.ruleIds.join(',') } : {}),
    });

  try {
    const target = classify(url.pathname);
    const route =
      target.kind === 'api' && !target.doubled ? findRoute(method, target.apiPath) : undefined;
    if (route?.kind === 'match') endpoint = route.route.name;
    const body = await readBody(req, state.behaviour.maxBodyBytes);

    // Faults act first: a gateway or network failure does not care who is calling.
    decision = deps.faults.decide({
      method,
      path: target.kind === 'api' ? target.apiPath : url.pathname,
      ...(endpoint ? { endpoint } : {}),
    });
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, deps.closing);
    if (deps.closing.aborted) return drop(req, record);
    const terminal = decision.terminal;
    if (terminal?.kind === 'reset') return drop(req, record);
    if (terminal?.kind === 'timeout') {
      await hold(req, terminal.holdMs, deps.closing);
      return drop(req, record);
    }
    if (terminal?.kind === 'status') {
      return send(
        res,
        faultAnswer(terminal.status, terminal.retryAfterSeconds, terminal.body, state),
        state,
        record,
      );
    }
    if (body.kind === 'tooLarge') {
      return send(res, errorAnswer(bodyTooLarge(state.behaviour.maxBodyBytes)), state, record);
    }

    let answer: Answer;
    try {
      answer = dispatch(req, url, target, route, body.bytes, state, (m) => (member = m));
    } catch (error) {
      if (error instanceof DropConnection) return drop(req, record);
      if (!(error instanceof CwHttpError)) throw error;
      answer = errorAnswer(error);
    }
    if (decision.dropAfterCommit) return drop(req, record);
    send(res, answer, state, record);
  } catch (error) {
    // A client that went away mid-request (its body stream fails) is not answered.
    if (req.socket.destroyed || req.errored) return drop(req, record);
    // Otherwise only a defect in the sandbox gets here; answer it rather than crash the server.
    const message = `The sandbox failed to handle the request: ${(error as Error).message}`;
    send(res, { status: 500, body: { code: 'ConnectWiseApi', message } }, state, record);
  }
}

/** Codebase routing, authentication, endpoint lookup, security, handler. */
function dispatch(
  req: IncomingMessage,
  url: URL,
  target: Target,
  route: ReturnType<typeof findRoute> | undefined,
  bytes: Buffer,
  state: SandboxState,
  onMember: (member: MemberRecord) => void,
): Answer {
  if (target.kind === 'companyInfo') return companyInfo(target.companyId, req, state);
  if (target.kind === 'other' || target.doubled) throw unroutable(state);
  if (state.behaviour.sslRequiredStatus > 0) {
    // The non-`api-` cloud host answers every API call this way (§1.5).
    throw new CwHttpError(state.behaviour.sslRequiredStatus, {
      code: 'Security',
      message: 'SSL is required.',
      errors: null,
    });
  }
  // A codebase retired by an upgrade 404s (§2.2, §6); one the tenant never had is unroutable.
  const codebase = target.codebase.toLowerCase();
  if ([...state.retiredCodebases].some((c) => c.toLowerCase() === codebase)) {
    throw endpointNotFound();
  }
  if (codebase !== CLASSIC_CODEBASE && codebase !== state.tenant.codebase.toLowerCase()) {
    throw unroutable(state);
  }

  checkClientId(req.headers, state);
  const member = authenticate(req.headers, state);
  onMember(member);

  if (!route || route.kind === 'none') throw endpointNotFound();
  if (route.kind === 'wrongMethod') {
    throw methodNotAllowed(req.method ?? '', [...new Set(route.allowed)]);
  }
  const level = levelFor(route.route, member, state);
  if (level === 'None') throw securityDenied();

  const ctx: HandlerContext = {
    state,
    member,
    route: route.route,
    query: new QueryParams(url.searchParams),
    headers: req.headers,
    requestUrl: url,
    hrefs: new Hrefs(url.origin, state.tenant.codebase, state.behaviour.hrefDoubleSlash),
    level,
    body: () => parseJsonBody(bytes, req.headers['content-type']),
  };
  return HANDLERS[route.route.name](ctx);
}

/** The member's level for the endpoint's security-role row (`All` when it needs none). */
function levelFor(route: RouteMatch, member: MemberRecord, state: SandboxState) {
  const permission = route.def.permission;
  if (!permission) return 'All' as const;
  if (
    state.behaviour.setupTablesOpenForInquiry &&
    permission.fn === 'tableSetup' &&
    permission.action === 'inquire'
  ) {
    return 'All' as const;
  }
  return state.levelFor(member, permission.fn, permission.action);
}

/**
 * `GET /login/companyinfo/{companyId}`: unauthenticated; `null` for an unknown company (§2.2).
 * The lookup ignores case (it serves the login screen) and answers the canonical id.
 */
function companyInfo(companyId: string, req: IncomingMessage, state: SandboxState): Answer {
  const t = state.tenant;
  if (req.method !== 'GET') throw endpointNotFound();
  if (companyId.toLowerCase() !== t.companyId.toLowerCase()) return { status: 200, body: null };
  const [year, release, build] = t.version.split('.');
  return {
    status: 200,
    body: {
      CompanyName: t.companyName,
      Codebase: t.codebase,
      VersionCode: `v${year}.${release}`,
      VersionNumber: `v4.6.${build}`,
      CompanyID: t.companyId,
      IsCloud: t.isCloud ? 'True' : 'False',
      SiteUrl: t.siteUrl ?? req.headers.host ?? '127.0.0.1',
    },
  };
}

function classify(pathname: string): Target {
  const path = pathname.replace(/\/{2,}/g, '/');
  const info = /^\/login\/companyinfo\/([^/]+)\/?$/i.exec(path);
  if (info) return { kind: 'companyInfo', companyId: safeDecode(info[1]!) };
  const api = /^\/([^/]+\/)apis\/3\.0(\/.*)?$/i.exec(path);
  if (!api) return { kind: 'other' };
  const apiPath = api[2] && api[2] !== '/' ? api[2] : '/';
  return {
    kind: 'api',
    codebase: api[1]!,
    apiPath,
    doubled: /^\/apis\/3\.0(\/|$)/i.test(apiPath),
  };
}

/** The request as an absolute URL on the host the client used; `undefined` if unparseable. */
function requestUrl(req: IncomingMessage): URL | undefined {
  for (const host of [req.headers.host, '127.0.0.1']) {
    try {
      return new URL(req.url ?? '/', `http://${host ?? '127.0.0.1'}`);
    } catch {
      // A Host header that is not a host: fall back to the loopback origin.
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unroutable(state: SandboxState): CwHttpError {
  return state.behaviour.badCodebase === 'gateway'
    ? new CwHttpError(400, CANNOT_ROUTE)
    : endpointNotFound();
}

function errorAnswer(error: CwHttpError): Answer {
  return { status: error.status, body: error.body, headers: error.headers };
}

/** The answer of a `status` fault, with ConnectWise's bodies for the common ones. */
function faultAnswer(
  status: number,
  retryAfterSeconds: number,
  body: unknown,
  state: SandboxState,
): Answer {
  const retry =
    status === 429 || status === 503 ? { 'retry-after': String(retryAfterSeconds) } : undefined;
  if (body !== undefined) return { status, body, ...(retry ? { headers: retry } : {}) };
  if (status === 429) {
    const message = `Too many requests. Please try again in ${retryAfterSeconds} seconds.`;
    return {
      status,
      headers: retry!,
      body:
        state.behaviour.rateLimitBody === 'json'
          ? { error: 'ConnectWiseAPI', message }
          : `<!DOCTYPE html><html><head><title>Access denied | Error 1015</title></head><body><h1>Error 1015</h1><p>You are being rate limited. ${message}</p></body></html>`,
    };
  }
  if (status === 500) {
    return {
      status,
      body: {
        code: 'ConnectWiseApi',
        message:
          'Execution Timeout Expired. The timeout period elapsed prior to completion of the operation or the server is not responding.',
      },
    };
  }
  const gateway: Record<number, string> = {
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  const title = gateway[status];
  if (title) {
    return {
      status,
      ...(retry ? { headers: retry } : {}),
      body: `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center></body></html>`,
    };
  }
  return { status, body: { code: 'ConnectWiseApi', message: `Injected fault: HTTP ${status}.` } };
}

/** Writes an answer with ConnectWise's response headers (§2.3). */
function send(
  res: ServerResponse,
  answer: Answer,
  state: SandboxState,
  record: (status: number) => void,
): void {
  const [year, release] = state.tenant.version.split('.');
  const headers: Record<string, string> = {
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    expires: '-1',
    'x-cw-request-id': randomUUID(),
    'api-current-version': `${year}.${release}`,
    'x-server-name': 'psabridge-sandbox',
    'x-frame-options': 'SAMEORIGIN',
    ...answer.headers,
  };
  let payload = '';
  if (answer.status !== 204 && answer.body !== undefined) {
    if (typeof answer.body === 'string') {
      payload = answer.body;
      headers['content-type'] = answer.body.startsWith('<')
        ? 'text/html; charset=utf-8'
        : 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(answer.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  record(answer.status);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** Closes the connection without an answer. */
function drop(req: IncomingMessage, record: (status: number) => void): void {
  record(0);
  req.socket.destroy();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Waits `holdMs`, or until the client goes away or the sandbox closes. */
function hold(
  req: IncomingMessage,
  holdMs: number | undefined,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = holdMs === undefined ? undefined : setTimeout(done, holdMs);
    function done(): void {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      req.socket.off('close', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
    req.socket.once('close', done);
    if (signal.aborted || req.socket.destroyed) done();
  });
}
