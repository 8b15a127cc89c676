/** How a ConnectWise public key is shown once saved: enough to recognise it, not to use it. */

const HIDDEN = '••••••••';

/**
 * The key with its middle hidden behind a fixed run of dots (so the length is not shown):
 * the first 4 and last 3 characters of a key of 12 or more, fewer of a shorter one.
 *
 * @example
 * maskKey('DemoPublicKey001'); // 'Demo••••••••001'
 */
export function maskKey(key: string): string {
  if (key.length >= 12) return `${key.slice(0, 4)}${HIDDEN}${key.slice(-3)}`;
  if (key.length >= 8) return `${key.slice(0, 2)}${HIDDEN}${key.slice(-2)}`;
  return HIDDEN;
}
