/** Accounts, users, sessions and API tokens; the definition is shared by both databases. */
import type { Kysely } from 'kysely';

import * as accounts from '../shared/0001_accounts.js';

export const up = (db: Kysely<unknown>): Promise<void> => accounts.up(db, 'postgres');
export const down = accounts.down;
