/** Incidents, tickets, activity and rules; the definition is shared by both databases. */
import type { Kysely } from 'kysely';

import * as delivery from '../shared/0006_delivery.js';

export const up = (db: Kysely<unknown>): Promise<void> => delivery.up(db, 'postgres');
export const down = delivery.down;
