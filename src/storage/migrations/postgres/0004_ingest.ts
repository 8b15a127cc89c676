/** Ingest tokens; the definition is shared by both databases. */
import type { Kysely } from 'kysely';

import * as ingest from '../shared/0004_ingest.js';

export const up = (db: Kysely<unknown>): Promise<void> => ingest.up(db, 'postgres');
export const down = ingest.down;
