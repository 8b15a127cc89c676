/** The API contract: every endpoint and schema, for the server, the CLI and the console. */
export * from './activity.js';
export * from './common.js';
export * from './companies.js';
export * from './connection.js';
export * from './delivery.js';
export * from './doctor.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './events.js';
export * from './health.js';
export * from './incidents.js';
export * from './ingest-tokens.js';
export * from './rules.js';
export * from './session.js';
export * from './tickets.js';
export * from './tokens.js';
export * from './users.js';
