/** The `cw_board_settings` rows: one per account, ConnectWise ids with the names they had. */
import type { Kysely, Selectable } from 'kysely';

import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import type { CwBoardSettingsTable } from './tables.js';
import type { BoardSettings, NamedRef } from './types.js';

/** What {@link upsertBoardSettings} writes: everything of {@link BoardSettings} but the time. */
export type BoardSettingsValues = Omit<BoardSettings, 'updatedAt'>;

/** Saves the account's board settings, replacing any previous ones. */
export async function upsertBoardSettings(
  db: Kysely<Database>,
  accountId: string,
  settings: BoardSettingsValues,
  now: Date = new Date(),
): Promise<BoardSettings> {
  const at = toIso(now);
  const values = {
    board_id: settings.board.id,
    board_name: settings.board.name,
    type_id: settings.type.id,
    type_name: settings.type.name,
    subtype_id: settings.subtype?.id ?? null,
    subtype_name: settings.subtype?.name ?? null,
    item_id: settings.item?.id ?? null,
    item_name: settings.item?.name ?? null,
    new_status_id: settings.newStatus.id,
    new_status_name: settings.newStatus.name,
    closed_status_id: settings.closedStatus.id,
    closed_status_name: settings.closedStatus.name,
    team_id: settings.team?.id ?? null,
    team_name: settings.team?.name ?? null,
    priority_critical_id: settings.priorities.critical.id,
    priority_critical_name: settings.priorities.critical.name,
    priority_high_id: settings.priorities.high.id,
    priority_high_name: settings.priorities.high.name,
    priority_medium_id: settings.priorities.medium.id,
    priority_medium_name: settings.priorities.medium.name,
    priority_low_id: settings.priorities.low.id,
    priority_low_name: settings.priorities.low.name,
    updated_at: at,
  };
  await db
    .insertInto('cw_board_settings')
    .values({ id: newId('cwb'), account_id: accountId, created_at: at, ...values })
    .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
    .execute();
  return { ...settings, updatedAt: at };
}

/**
 * The account's board settings, or null when none are saved.
 *
 * @example
 * const settings = await getBoardSettings(db, accountId);
 * settings?.closedStatus; // { id: 105, name: 'Closed' }
 */
export async function getBoardSettings(
  db: Kysely<Database>,
  accountId: string,
): Promise<BoardSettings | null> {
  const row = await db
    .selectFrom('cw_board_settings')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toSettings(row) : null;
}

/** Deletes the account's board settings; false when there were none. */
export async function deleteBoardSettings(
  db: Kysely<Database>,
  accountId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('cw_board_settings')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toSettings(row: Selectable<CwBoardSettingsTable>): BoardSettings {
  return {
    board: { id: row.board_id, name: row.board_name },
    type: { id: row.type_id, name: row.type_name },
    subtype: optionalRef(row.subtype_id, row.subtype_name),
    item: optionalRef(row.item_id, row.item_name),
    newStatus: { id: row.new_status_id, name: row.new_status_name },
    closedStatus: { id: row.closed_status_id, name: row.closed_status_name },
    team: optionalRef(row.team_id, row.team_name),
    priorities: {
      critical: { id: row.priority_critical_id, name: row.priority_critical_name },
      high: { id: row.priority_high_id, name: row.priority_high_name },
      medium: { id: row.priority_medium_id, name: row.priority_medium_name },
      low: { id: row.priority_low_id, name: row.priority_low_name },
    },
    updatedAt: row.updated_at,
  };
}

function optionalRef(id: number | null, name: string | null): NamedRef | null {
  return id === null ? null : { id, name: name ?? '' };
}
