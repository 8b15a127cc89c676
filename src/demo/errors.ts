/** The demo's own failures: each says what went wrong and what to do. */

/** The demo cannot start (a port taken, an unusable demo configuration file, …). */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}
