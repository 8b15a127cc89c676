/**
 * PostgreSQL migrations, applied in key order. To add one: create `NNNN_name.ts` beside this
 * file (exporting `up`, and `down` when it can be undone) and add one line below. Keep the
 * numbering in step with `../sqlite/index.ts`. Never edit or renumber a shipped migration.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_core.js';

export const postgresMigrations: Readonly<Record<string, Migration>> = {
  '0001_accounts': m0001,
  '0002_core': m0002,
};
