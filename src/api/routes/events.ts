/**
 * `POST /api/v1/events`: the backup platform's way in. It authenticates with an ingest token
 * (never a console session or API token), so the endpoint is `public` to the API's own auth hook
 * and checks its token in a hook of its own, before the body is read: an unauthenticated sender
 * costs one indexed query and no parsing.
 *
 * The route lives in its own fastify scope, where every body arrives raw (a Buffer): the
 * ingestion part decides between JSON, a JSON array and NDJSON and answers 415 for anything else,
 * with the same error body as every other endpoint.
 */
import type { FastifyRequest } from 'fastify';
import { parseEventsBody, type IngestErrorItem } from '../../ingest/parse-body.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import { resolveIngestToken, type IngestCaller } from '../../ingest/tokens.js';
import type { ApiApp, RouteModule } from '../app-types.js';
import type { ErrorDetail } from '../contract/errors.js';
import { EVENTS_BODY_LIMIT_BYTES, postEvents } from '../contract/events.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

/** RFC 6750 §3: a 401 for a bearer-token resource names the scheme. */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="psabridge events"' };

const MEBIBYTE = 1024 * 1024;

/** `POST /api/v1/events`, in a scope of its own (raw bodies, ingest-token check). */
export const eventRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;
  const callers = new WeakMap<FastifyRequest, IngestCaller>();

  // A scope of its own, so the raw-body parser and the token check apply to this route alone.
  void app.register((scope: ApiApp, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: EVENTS_BODY_LIMIT_BYTES },
      (_request, body, next) => next(null, body),
    );

    // Who is sending, before any byte of the body is read; then a declared size over the limit
    // is refused without reading it (a chunked body is cut off by the parser's limit instead).
    scope.addHook('onRequest', async (request) => {
      callers.set(request, await authenticate(request));
      const declared = Number(request.headers['content-length']);
      if (declared > EVENTS_BODY_LIMIT_BYTES) throw bodyTooLarge(declared);
    });

    route(
      scope,
      postEvents,
      async ({ request }) => {
        const caller = callers.get(request);
        if (!caller) throw new ApiError('unauthorized', 'Send an ingest token first.');

        const parsed = parseEventsBody({
          contentType: request.headers['content-type'],
          body: Buffer.isBuffer(request.body) ? request.body : '',
        });
        if (!parsed.ok) {
          throw new ApiError(parsed.error.code, parsed.error.message, {
            ...(parsed.error.errors.length > 0
              ? { errors: parsed.error.errors.map(toErrorDetail) }
              : {}),
          });
        }

        const result = await ingestEvents({ db }, caller.accountId, parsed.events, deps.now());
        const duplicates = result.duplicates + parsed.duplicateIndexes.length;
        request.log.debug(
          { accountId: caller.accountId, accepted: result.accepted, duplicates },
          'events stored',
        );
        return { accepted: result.accepted, duplicates, eventIds: result.eventIds };
      },
      { bodyLimit: EVENTS_BODY_LIMIT_BYTES },
    );
    done();
  });

  async function authenticate(request: FastifyRequest): Promise<IngestCaller> {
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new ApiError(
        'unauthorized',
        'Send the ingest token as "Authorization: Bearer <ingest token>". Admins create ingest tokens with POST /api/v1/ingest-tokens.',
        { headers: CHALLENGE },
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError(
        'unauthorized',
        'The Authorization header must be "Bearer <ingest token>".',
        { headers: CHALLENGE },
      );
    }
    const caller = await resolveIngestToken(db, match[1], deps.now());
    if (!caller) {
      throw new ApiError(
        'unauthorized',
        'The ingest token is unknown or revoked. API tokens and console sessions are not accepted here; an admin can create an ingest token with POST /api/v1/ingest-tokens.',
        { headers: CHALLENGE },
      );
    }
    return caller;
  }
};

function bodyTooLarge(bytes: number): ApiError {
  const mib = (n: number): string => (n / MEBIBYTE).toFixed(1);
  return new ApiError(
    'payload_too_large',
    `The body is ${mib(bytes)} MiB; at most ${mib(EVENTS_BODY_LIMIT_BYTES)} MiB is accepted per request. Send the events in smaller batches.`,
  );
}

/** The contract's error item; an NDJSON line number goes into the message. */
function toErrorDetail(item: IngestErrorItem): ErrorDetail {
  const message =
    item.line === undefined || item.message.startsWith(`line ${item.line} `)
      ? item.message
      : `line ${item.line}: ${item.message}`;
  return { index: item.index, path: item.path, message };
}
