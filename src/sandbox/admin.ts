/**
 * The sandbox's own admin API, outside the ConnectWise paths and without authentication (it is a
 * local test tool): health, fault rules, behaviour switches and the request journal. Errors use
 * psabridge's envelope `{ "error": { "code", "message", "errors"? } }`.
 *
 * - `GET /__sandbox/health`
 * - `GET|PUT|POST|DELETE /__sandbox/faults`, `DELETE /__sandbox/faults/{id}`
 * - `GET|PATCH /__sandbox/behaviour`
 * - `GET|DELETE /__sandbox/requests`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { z } from 'zod';

import { DEFAULT_BEHAVIOUR } from './behaviour.js';
import type { SandboxBehaviour } from './behaviour.js';
import { FaultRuleError } from './faults/fault-controller.js';
import type { FaultRule } from './faults/fault-rule.js';
import { readBody } from './http/body.js';
import type { PipelineDeps } from './http/server.js';

interface AdminAnswer {
  status: number;
  body?: unknown;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const behaviourPatch = z
  .strictObject({
    clientIdPolicy: z.enum(['required', 'registered', 'ignored']),
    unauthorizedBody: z.enum(['Unauthorized', 'UserNotAuthenticated']),
    badCredentials: z.enum(['401', '404', 'noResponse']),
    pageSizeAboveMax: z.enum(['clamp', 'reject']),
    likeWildcards: z.boolean(),
    patchNestedPath: z.enum(['reject', 'false200']),
    patchLeadingSlash: z.boolean(),
    badCodebase: z.enum(['notFound', 'gateway']),
    forwardOnlyFinalLink: z.enum(['omit', 'always']),
    hrefDoubleSlash: z.enum(['afterCodebase', 'afterApiRoot', 'none']),
    setupTablesOpenForInquiry: z.boolean(),
    systemInfoNeedsRights: z.boolean(),
    noteWithoutFlags: z.enum(['accept', 'reject']),
    inactiveCompanyTickets: z.enum(['reject', 'allow']),
    boardWithoutDefaultTeam: z.enum(['allow', 'reject']),
    rateLimitBody: z.enum(['json', 'cloudflareHtml']),
    sslRequiredStatus: z.number().int().min(0).max(599),
    maxBodyBytes: z.number().int().positive(),
    queryIndexes: z.boolean(),
  } satisfies Record<keyof SandboxBehaviour, z.ZodType>)
  .partial();

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: PipelineDeps,
): Promise<void> {
  let answer: AdminAnswer;
  try {
    answer = await route(req, url, deps);
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    answer = {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
        },
      },
    };
  }
  const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'cache-control': 'no-store',
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
  });
  res.end(payload);
}

async function route(req: IncomingMessage, url: URL, deps: PipelineDeps): Promise<AdminAnswer> {
  const { state, faults } = deps;
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const body = async (): Promise<unknown> => {
    const read = await readBody(req, 1_048_576);
    if (read.kind === 'tooLarge') {
      throw new AdminError(413, 'payload_too_large', 'The body is larger than 1 MiB.');
    }
    const text = read.bytes.toString('utf8');
    try {
      return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
    } catch (error) {
      throw new AdminError(
        400,
        'invalid_json',
        `The body is not valid JSON: ${(error as Error).message}`,
      );
    }
  };
  const faultsCall = <T>(call: () => T): T => {
    try {
      return call();
    } catch (error) {
      if (error instanceof FaultRuleError) {
        throw new AdminError(400, 'invalid_fault_rule', error.message, error.issues);
      }
      throw error;
    }
  };

  switch (`${method} ${path}`) {
    case 'GET /__sandbox/health':
      return {
        status: 200,
        body: {
          status: 'ok',
          companyId: state.tenant.companyId,
          codebase: state.tenant.codebase,
          counts: {
            companies: state.companies.size,
            contacts: state.contacts.size,
            tickets: state.tickets.size,
            notes: state.notes.size,
            projectTickets: state.projectTickets.size,
          },
          faults: faults.list().length,
        },
      };
    case 'GET /__sandbox/faults':
      return { status: 200, body: faults.list() };
    case 'PUT /__sandbox/faults': {
      const rules = await body();
      if (!Array.isArray(rules)) {
        throw new AdminError(
          400,
          'invalid_fault_rule',
          'Send an array of fault rules (see src/sandbox/README.md).',
        );
      }
      faultsCall(() => faults.set(rules as FaultRule[]));
      return { status: 200, body: faults.list() };
    }
    case 'POST /__sandbox/faults': {
      const rule = await body();
      const id = faultsCall(() => faults.add(rule as FaultRule));
      return { status: 201, body: faults.list().find((f) => f.rule.id === id) };
    }
    case 'DELETE /__sandbox/faults':
      faults.clear();
      return { status: 204 };
    case 'GET /__sandbox/behaviour':
      return { status: 200, body: state.behaviour };
    case 'PATCH /__sandbox/behaviour': {
      const parsed = behaviourPatch.safeParse((await body()) ?? {});
      if (!parsed.success) {
        throw new AdminError(
          400,
          'invalid_behaviour',
          `Unknown switch or value; the switches and their defaults are ${JSON.stringify(DEFAULT_BEHAVIOUR)}.`,
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      state.setBehaviour(parsed.data as Partial<SandboxBehaviour>);
      return { status: 200, body: state.behaviour };
    }
    case 'GET /__sandbox/requests':
      return { status: 200, body: state.journal.entries() };
    case 'DELETE /__sandbox/requests':
      state.journal.clear();
      return { status: 204 };
  }
  const one = /^\/__sandbox\/faults\/([^/]+)$/.exec(path);
  if (one && method === 'DELETE') {
    if (!faults.remove(decodeURIComponent(one[1]!))) {
      throw new AdminError(404, 'not_found', `No fault rule ${one[1]}.`);
    }
    return { status: 204 };
  }
  throw new AdminError(
    404,
    'not_found',
    `No admin route ${method} ${path}; see src/sandbox/README.md for /__sandbox/health, /faults, /behaviour and /requests.`,
  );
}
