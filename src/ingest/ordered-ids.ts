/**
 * Row ids in the shape of `newId` (`evt_` + 10 time characters + 16 random ones, Crockford
 * base32) that also sort in the order this process made them, even within one millisecond.
 *
 * Jobs sharing an ordering key run in id order, and one request often carries several events of
 * one company made in the same millisecond ("failed" then "succeeded"): with fully random low
 * bits their jobs could run the wrong way round. As in monotonic ULIDs, a new millisecond starts
 * from fresh random bits, and each further id of the same millisecond adds one to them.
 */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

/** Makes ids that sort in creation order; see the file comment. */
export type OrderedIdSource = (nowMs: number) => string;

/**
 * A source of ordered ids with `prefix` (2–8 lowercase letters, like `newId`'s).
 *
 * @example
 * const nextEventId = orderedIds('evt');
 * nextEventId(Date.now()) < nextEventId(Date.now()); // true
 */
export function orderedIds(prefix: string): OrderedIdSource {
  if (!/^[a-z]{2,8}$/.test(prefix)) {
    throw new TypeError(
      `An id prefix must be 2 to 8 lowercase letters, got ${JSON.stringify(prefix)}`,
    );
  }
  let lastMs = -1;
  let time = '';
  const digits = new Array<number>(RANDOM_CHARS).fill(0);

  return (nowMs) => {
    // A clock that steps back keeps the last time, so order still holds.
    const ms = Math.max(Math.floor(nowMs), lastMs);
    if (ms > lastMs) {
      lastMs = ms;
      time = encodeTime(ms);
      const bytes = randomBytes(RANDOM_CHARS);
      for (let i = 0; i < RANDOM_CHARS; i++) digits[i] = (bytes[i] ?? 0) % 32;
    } else if (!increment(digits)) {
      // 80 bits ran over within one millisecond: borrow the next one.
      lastMs = ms + 1;
      time = encodeTime(lastMs);
    }
    let random = '';
    for (const digit of digits) random += CROCKFORD.charAt(digit);
    return `${prefix}_${time}${random}`;
  };
}

function encodeTime(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** Adds one to the base-32 digits in place; false when they wrapped round to zero. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const next = (digits[i] ?? 0) + 1;
    if (next < 32) {
      digits[i] = next;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}
