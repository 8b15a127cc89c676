/** Companies, devices, events and jobs; the definition is shared by both databases. */
import type { Kysely } from 'kysely';

import * as core from '../shared/0002_core.js';

export const up = (db: Kysely<unknown>): Promise<void> => core.up(db, 'sqlite');
export const down = core.down;
