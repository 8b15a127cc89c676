/**
 * The demo's secrets. Tokens are derived from the master key (HMAC-SHA256 with a purpose
 * label), so every start on one data directory configures and prints the same ingest and API
 * tokens: applying the configuration again changes nothing, and no token is duplicated. They
 * are as secret as the master key that encrypts everything else in the data directory.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { TOKEN_PREFIX } from '../secrets/tokens.js';

/** What a derived token is for; each purpose gives an unrelated value. */
export type DemoTokenPurpose = 'ingest' | 'api';

/**
 * The demo's token for `purpose`: `psb_` and 43 base64url characters, like a generated token.
 *
 * @example
 * deriveDemoToken(masterKey, 'ingest'); // 'psb_…', the same for the same key
 */
export function deriveDemoToken(masterKey: Uint8Array, purpose: DemoTokenPurpose): string {
  const digest = createHmac('sha256', masterKey)
    .update(`psabridge demo ${purpose} token v1`, 'utf8')
    .digest('base64url');
  return TOKEN_PREFIX + digest;
}

/** A new random admin password: 18 base64url characters (108 bits), above the 12-character minimum. */
export function generateDemoPassword(): string {
  return randomBytes(27).toString('base64url').slice(0, 18);
}
