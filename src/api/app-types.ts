/** Types shared by the app and its route modules. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/open.js';

/** The fastify instance of the API, with zod as its type provider. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Everything the API needs from outside. A part that needs more (a ConnectWise client, the
 * worker's queue) adds a field here and sets it in `serve` and in `testing.ts`.
 */
export interface ApiDeps {
  readonly storage: Storage;
  readonly config: Config;
  /** Encrypts secrets stored by the API (ConnectWise private keys). */
  readonly secretBox: SecretBox;
  /** A pino logger (see `createLogger`); none means silent. */
  readonly logger?: FastifyBaseLogger;
  /** Sign-in attempts allowed per client address. Default 10 per 60 000 ms. */
  readonly loginRateLimit?: { readonly max: number; readonly windowMs: number };
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** A route module: registers a group of endpoints. Listed once in `app.ts`. */
export type RouteModule = (app: ApiApp, deps: ResolvedApiDeps) => void;

/** {@link ApiDeps} with defaults applied. */
export type ResolvedApiDeps = Omit<ApiDeps, 'now' | 'loginRateLimit'> & {
  readonly now: () => Date;
  readonly loginRateLimit: { readonly max: number; readonly windowMs: number };
};
