/**
 * Settings › ConnectWise Manage › service board: choose where tickets go, checked against
 * ConnectWise before saving and re-checked later (the doctor, and the worker when a write is
 * refused because the board or a status is gone).
 */
import type { ManageClient, RequestOptions } from '../connectwise/client/index.js';
import { ManageNotFoundError } from '../connectwise/client/index.js';
import type { Priority } from '../connectwise/models.js';
import { SEVERITIES } from '../domain/conditions.js';
import type { BoardSetup } from './board-setup.js';
import { loadBoardSetup, loadPriorities } from './board-setup.js';
import { upsertBoardSettings } from './board-settings-store.js';
import type { BoardProblem } from './board-validation.js';
import { validateBoardSelection } from './board-validation.js';
import type { ConnectionCallOptions } from './connection-service.js';
import { BoardSettingsRejectedError } from './errors.js';
import { openManageClient } from './open-client.js';
import type { Problem } from './problem.js';
import type {
  BoardSelection,
  BoardSelectionByName,
  BoardSettings,
  ConnectionDeps,
  PriorityMap,
} from './types.js';

/**
 * The board's setup, or null when ConnectWise says the board does not exist.
 * @throws other client errors (keys refused, ConnectWise down) as thrown.
 */
export async function findBoardSetup(
  client: ManageClient,
  boardId: number,
  options: RequestOptions = {},
): Promise<BoardSetup | null> {
  try {
    return await loadBoardSetup(client, boardId, options);
  } catch (error) {
    if (error instanceof ManageNotFoundError && !error.endpointMissing) return null;
    throw error;
  }
}

/**
 * Checks `selection` against ConnectWise and saves it with the names ConnectWise has now.
 *
 * @throws BoardSettingsRejectedError naming every field ConnectWise could not take.
 * @throws ConnectionNotConfiguredError when the account has no connection.
 * @example
 * await saveBoardSettings(deps, accountId, { boardId: 21, typeId: 201, subtypeId: 301,
 *   itemId: 401, newStatusId: 101, closedStatusId: 105, teamId: null,
 *   priorities: { critical: 1, high: 2, medium: 3, low: 4 } });
 */
export async function saveBoardSettings(
  deps: ConnectionDeps,
  accountId: string,
  selection: BoardSelection,
  options: ConnectionCallOptions = {},
): Promise<BoardSettings> {
  const client = await openManageClient(deps, accountId, options);
  const request = options.signal ? { signal: options.signal } : {};
  const [setup, priorities] = await Promise.all([
    findBoardSetup(client, selection.boardId, request),
    loadPriorities(client, request),
  ]);
  const result = validateBoardSelection(setup, priorities, selection);
  if (!result.ok) throw new BoardSettingsRejectedError(result.problems);
  const now = deps.now ?? (() => new Date());
  return upsertBoardSettings(deps.db, accountId, result.settings, now());
}

/**
 * Re-checks saved settings against ConnectWise as it is now: everything that would make a
 * ticket write fail (board, status, team or priority gone or changed). An empty list means the
 * settings still work. Renamed records are not a problem: tickets are written by id.
 *
 * @throws client errors that say nothing about the board (keys refused, ConnectWise down), so
 *   a caller never mistakes an outage for a removed board.
 */
export async function checkBoardSettings(
  client: ManageClient,
  settings: BoardSettings,
  options: RequestOptions = {},
): Promise<Problem[]> {
  const [setup, priorities] = await Promise.all([
    findBoardSetup(client, settings.board.id, options),
    loadPriorities(client, options),
  ]);
  const result = validateBoardSelection(setup, priorities, selectionOf(settings));
  return result.problems.map(({ code, message, fix }) => ({ code, message, fix }));
}

/** The ids of saved settings, as a selection. */
export function selectionOf(settings: BoardSettings): BoardSelection {
  return {
    boardId: settings.board.id,
    typeId: settings.type.id,
    subtypeId: settings.subtype?.id ?? null,
    itemId: settings.item?.id ?? null,
    newStatusId: settings.newStatus.id,
    closedStatusId: settings.closedStatus.id,
    teamId: settings.team?.id ?? null,
    priorities: {
      critical: settings.priorities.critical.id,
      high: settings.priorities.high.id,
      medium: settings.priorities.medium.id,
      low: settings.priorities.low.id,
    },
  };
}

/**
 * Configuration as code: the board settings named in a file. Names match ConnectWise's ignoring
 * case and surrounding spaces; each name that matches nothing (or more than one record) is
 * reported with the names that exist. Then the same checks as {@link saveBoardSettings} apply.
 *
 * @throws BoardSettingsRejectedError listing every name that could not be resolved, or every
 *   field ConnectWise could not take.
 * @example
 * await saveBoardSettingsByName(deps, accountId, { board: 'Backup Alerts', type: 'Backup',
 *   subtype: 'Failed', item: 'Job', newStatus: 'New', closedStatus: 'Closed',
 *   priorities: { critical: 'Priority 1 - Critical', high: 'Priority 2 - High',
 *                 medium: 'Priority 3 - Normal', low: 'Priority 4 - Low' } });
 */
export async function saveBoardSettingsByName(
  deps: ConnectionDeps,
  accountId: string,
  named: BoardSelectionByName,
  options: ConnectionCallOptions = {},
): Promise<BoardSettings> {
  const client = await openManageClient(deps, accountId, options);
  const request = options.signal ? { signal: options.signal } : {};
  const [boards, priorities] = await Promise.all([
    client.boards.list(request).toArray(),
    loadPriorities(client, request),
  ]);
  const problems: BoardProblem[] = [];
  const board = resolveName('board', named.board, boards, problems);
  const priorityIds = resolvePriorities(named.priorities, priorities, problems);
  if (board === undefined) throw new BoardSettingsRejectedError(problems);

  const setup = await findBoardSetup(client, board, request);
  if (!setup) throw new BoardSettingsRejectedError([...problems, boardGone(named.board)]);
  const optional = (
    kind: 'subtype' | 'item' | 'team',
    name: string | null | undefined,
    records: readonly { id: number; name: string }[],
  ): number | null | undefined =>
    name === undefined || name === null || name.trim() === ''
      ? null
      : resolveName(kind, name, records, problems, setup.board.name);
  const selection = {
    boardId: board,
    typeId: resolveName('type', named.type, setup.types, problems, setup.board.name),
    subtypeId: optional('subtype', named.subtype, setup.subtypes),
    itemId: optional('item', named.item, setup.items),
    newStatusId: resolveName(
      'newStatus',
      named.newStatus,
      setup.statuses,
      problems,
      setup.board.name,
    ),
    closedStatusId: resolveName(
      'closedStatus',
      named.closedStatus,
      setup.statuses,
      problems,
      setup.board.name,
    ),
    teamId: optional('team', named.team, setup.teams),
  };
  const { typeId, subtypeId, itemId, newStatusId, closedStatusId, teamId } = selection;
  if (
    problems.length > 0 ||
    !priorityIds ||
    typeId === undefined ||
    subtypeId === undefined ||
    itemId === undefined ||
    newStatusId === undefined ||
    closedStatusId === undefined ||
    teamId === undefined
  ) {
    throw new BoardSettingsRejectedError(problems);
  }

  const result = validateBoardSelection(setup, priorities, {
    boardId: board,
    typeId,
    subtypeId,
    itemId,
    newStatusId,
    closedStatusId,
    teamId,
    priorities: priorityIds,
  });
  if (!result.ok) throw new BoardSettingsRejectedError(result.problems);
  const now = deps.now ?? (() => new Date());
  return upsertBoardSettings(deps.db, accountId, result.settings, now());
}

type NamedKind = 'board' | 'type' | 'subtype' | 'item' | 'newStatus' | 'closedStatus' | 'team';

const KIND_WORDS: Readonly<Record<NamedKind, { words: string; code: BoardProblem['code'] }>> = {
  board: { words: 'service board', code: 'board_not_found' },
  type: { words: 'type', code: 'type_not_found' },
  subtype: { words: 'subtype', code: 'subtype_not_found' },
  item: { words: 'item', code: 'item_not_found' },
  newStatus: { words: 'status', code: 'new_status_not_found' },
  closedStatus: { words: 'status', code: 'closed_status_not_found' },
  team: { words: 'team', code: 'team_not_found' },
};

/** The id of the one record named `name` (ignoring case), or undefined with a problem added. */
function resolveName(
  kind: NamedKind,
  name: string,
  records: readonly { id: number; name: string }[],
  problems: BoardProblem[],
  boardName?: string,
): number | undefined {
  const matches = matchesOf(name, records);
  if (matches.length === 1) return matches[0]!.id;
  const { words, code } = KIND_WORDS[kind];
  const where = boardName === undefined ? 'ConnectWise' : `The board "${boardName}"`;
  const existing = records.map((r) => `"${r.name}"`).join(', ') || 'none';
  problems.push({
    code,
    field: kind === 'board' ? 'board' : kind,
    message:
      matches.length === 0
        ? `${where} has no ${words} named "${name}".`
        : `${where} has ${matches.length} ${words}s named "${name}"; the name must pick one.`,
    fix:
      matches.length === 0
        ? `Use one of the names that exist: ${existing}.`
        : `Rename one of them in ConnectWise (System › Setup Tables › Service Board).`,
  });
  return undefined;
}

/** The records named `name`, ignoring case and surrounding spaces. */
function matchesOf<T extends { name: string }>(name: string, records: readonly T[]): T[] {
  const wanted = name.trim().toLowerCase();
  return records.filter((r) => r.name.trim().toLowerCase() === wanted);
}

function resolvePriorities(
  named: PriorityMap<string>,
  priorities: readonly Priority[],
  problems: BoardProblem[],
): PriorityMap<number> | undefined {
  const ids: Partial<Record<(typeof SEVERITIES)[number], number>> = {};
  for (const severity of SEVERITIES) {
    const matches = matchesOf(named[severity], priorities);
    if (matches.length === 1) {
      ids[severity] = matches[0]!.id;
      continue;
    }
    const existing = priorities.map((p) => `"${p.name}"`).join(', ') || 'none';
    problems.push({
      code: 'priority_not_found',
      field: `priorities.${severity}`,
      message: `ConnectWise has no single priority named "${named[severity]}" (chosen for ${severity} problems).`,
      fix: `Use one of the priority names: ${existing}.`,
    });
  }
  const { critical, high, medium, low } = ids;
  return critical !== undefined && high !== undefined && medium !== undefined && low !== undefined
    ? { critical, high, medium, low }
    : undefined;
}

function boardGone(name: string): BoardProblem {
  return {
    code: 'board_not_found',
    field: 'board',
    message: `The service board "${name}" disappeared while the settings were being saved.`,
    fix: 'Try again, or choose another board.',
  };
}
