/**
 * The HTTP API: `buildApp(deps)` returns a ready fastify instance, to `listen()` in the service
 * or to call in-process with `app.inject()` in tests.
 *
 * To add endpoints: define them in `contract/<area>.ts`, write `routes/<area>.ts` exporting a
 * {@link RouteModule}, and add it to {@link ROUTE_MODULES} below.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import {
  createJsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { newId } from '../storage/ids.js';
import type { ApiApp, ApiDeps, ResolvedApiDeps, RouteModule } from './app-types.js';
import { installAuth } from './auth.js';
import { SESSION_COOKIE } from './contract/session.js';
import { installErrorHandling } from './error-handler.js';
import { ApiError } from './errors.js';
import { eventRoutes } from './routes/events.js';
import { connectionRoutes } from './routes/connection.js';
import { companyRoutes } from './routes/companies.js';
import { doctorRoutes } from './routes/doctor.js';
import { deliveryRoutes } from './routes/delivery.js';
import { healthRoutes } from './routes/health.js';
import { rulesRoutes } from './routes/rules.js';
import { ingestTokenRoutes } from './routes/ingest-tokens.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { activityRoutes } from './routes/activity.js';
import { incidentRoutes } from './routes/incidents.js';
import { ticketRoutes } from './routes/tickets.js';

/** Every group of endpoints, registered in this order. */
const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  sessionRoutes,
  userRoutes,
  tokenRoutes,
  ingestTokenRoutes,
  eventRoutes,
  connectionRoutes,
  companyRoutes,
  doctorRoutes,
  rulesRoutes,
  deliveryRoutes,
  ticketRoutes,
  incidentRoutes,
  activityRoutes,
];

/** The largest request body any route accepts unless it sets its own `bodyLimit`: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

const DOCS_PREFIX = '/api/docs';

/**
 * Builds the API with every route module registered.
 *
 * @example
 * const app = await buildApp({ storage, config, secretBox });
 * const res = await app.inject({ method: 'GET', url: '/healthz' });
 */
export async function buildApp(deps: ApiDeps): Promise<ApiApp> {
  const resolved: ResolvedApiDeps = {
    ...deps,
    now: deps.now ?? (() => new Date()),
    loginRateLimit: deps.loginRateLimit ?? { max: 10, windowMs: 60_000 },
  };

  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    // Request ids are ours, never taken from a client header, so they can be trusted in logs.
    genReqId: () => newId('req'),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    // The plugin sets Retry-After itself; the error only has to carry our code.
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        'rate_limited',
        `Too many attempts from this address. Try again in ${context.after}.`,
      ),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'psabridge API',
        description: 'Backup problems become ConnectWise Manage service tickets.',
        version: '1',
      },
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (psb_…)' },
        },
      },
    },
    transform: createJsonSchemaTransform({
      skipList: [DOCS_PREFIX, `${DOCS_PREFIX}/`, `${DOCS_PREFIX}/*`, `${DOCS_PREFIX}/json`],
    }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX });
  installAuth(app, {
    db: deps.storage.db,
    secureCookies: deps.config.secureCookies,
    now: resolved.now,
  });

  app.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { access: 'public' } },
    (_request, reply) => reply.send(app.swagger()),
  );
  for (const register of ROUTE_MODULES) register(app, resolved);

  await app.ready();
  return app;
}
