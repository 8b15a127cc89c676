/**
 * SQLite migrations, applied in key order. To add one: create `NNNN_name.ts` beside this file
 * (exporting `up`, and `down` when it can be undone) and add one line below. Never edit or
 * renumber a migration that has shipped; write a new one.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_core.js';

export const sqliteMigrations: Readonly<Record<string, Migration>> = {
  '0001_accounts': m0001,
  '0002_core': m0002,
};
