/**
 * Row ids, generated in code so both databases use the same text ids: a short prefix naming the
 * kind of row, then a 26-character ULID-like body (48-bit millisecond time + 80 random bits in
 * Crockford base32). Ids sort roughly by creation time, which keeps index inserts local.
 */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new id such as `usr_01JEXAMPLE6Z7P3QK8M2N4R5T`.
 *
 * @param prefix lowercase letters naming the row kind (`acc`, `usr`, `ses`, `tok`, …).
 * @param now the time encoded in the id. Default `Date.now()`.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  if (!/^[a-z]{2,8}$/.test(prefix)) {
    throw new TypeError(
      `An id prefix must be 2 to 8 lowercase letters, got ${JSON.stringify(prefix)}`,
    );
  }
  let time = '';
  let t = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD.charAt((bytes[i] ?? 0) % 32);
  return `${prefix}_${time}${random}`;
}
