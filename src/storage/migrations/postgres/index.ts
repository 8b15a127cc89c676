/**
 * PostgreSQL migrations, applied in key order. To add one: create `NNNN_name.ts` beside this
 * file (exporting `up`, and `down` when it can be undone) and add one line below. Keep the
 * numbering in step with `../sqlite/index.ts`. Never edit or renumber a shipped migration.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';

export const postgresMigrations: Readonly<Record<string, Migration>> = {
  '0001_accounts': m0001,
};
