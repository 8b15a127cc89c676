/** The API contract: every endpoint and schema, for the server, the CLI and the console. */
export * from './common.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './health.js';
export * from './session.js';
export * from './tokens.js';
export * from './users.js';
