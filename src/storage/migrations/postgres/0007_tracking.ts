/** Ticket tracking columns and the integration's health; the definition is shared by both databases. */
import type { Kysely } from 'kysely';

import * as tracking from '../shared/0007_tracking.js';

export const up = (db: Kysely<unknown>): Promise<void> => tracking.up(db, 'postgres');
export const down = tracking.down;
