export { DEFAULT_BODY_LIMIT_BYTES, buildApp } from './app.js';
export type { ApiApp, ApiDeps, ResolvedApiDeps, RouteModule } from './app-types.js';
export { requireAdmin, requireAuth } from './auth.js';
export { ApiError, type ApiErrorOptions } from './errors.js';
export { toApiError } from './error-mapping.js';
export { REDACTED_PATHS, createLogger, type LoggerOptions } from './logger.js';
export { route, type Handler, type HandlerInput, type RouteExtras } from './route.js';
