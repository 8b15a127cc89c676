/** The bridge's copy of ConnectWise companies and their sync state; shared by both databases. */
import type { Kysely } from 'kysely';

import * as companySync from '../shared/0005_company_sync.js';

export const up = (db: Kysely<unknown>): Promise<void> => companySync.up(db, 'postgres');
export const down = companySync.down;
