/**
 * SQLite migrations, applied in key order. To add one: create `NNNN_name.ts` beside this file
 * (exporting `up`, and `down` when it can be undone) and add one line below. Never edit or
 * renumber a migration that has shipped; write a new one.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_core.js';
import * as m0003 from './0003_connectwise.js';
import * as m0004 from './0004_ingest.js';
import * as m0005 from './0005_company_sync.js';
import * as m0006 from './0006_delivery.js';
import * as m0007 from './0007_tracking.js';

export const sqliteMigrations: Readonly<Record<string, Migration>> = {
  '0001_accounts': m0001,
  '0002_core': m0002,
  '0003_connectwise': m0003,
  '0004_ingest': m0004,
  '0005_company_sync': m0005,
  '0006_delivery': m0006,
  '0007_tracking': m0007,
};
