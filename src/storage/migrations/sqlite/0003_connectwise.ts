/** ConnectWise connections and board settings; one definition shared by both databases. */
import type { Kysely } from 'kysely';

import * as connectwise from '../shared/0003_connectwise.js';

export const up = (db: Kysely<unknown>): Promise<void> => connectwise.up(db, 'sqlite');
export const down = connectwise.down;
