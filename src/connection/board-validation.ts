/**
 * Whether ConnectWise can take the bridge's tickets with a board selection: the pure rules, run
 * on the board's setup tables as last read. Each problem names the field it concerns, says why,
 * and how to fix it in ConnectWise or in the selection.
 */
import type { Priority } from '../connectwise/models.js';
import { SEVERITIES } from '../domain/conditions.js';
import type { BoardSettingsValues } from './board-settings-store.js';
import type { BoardSetup } from './board-setup.js';
import type { FieldProblem } from './problem.js';
import type { BoardSelection, NamedRef, PriorityMap } from './types.js';

/** Every code a board check can report. */
export const BOARD_PROBLEM_CODES = [
  'board_not_found',
  'board_inactive',
  'board_is_project',
  'board_without_default_team',
  'team_not_found',
  'type_not_found',
  'type_inactive',
  'subtype_not_found',
  'subtype_inactive',
  'item_not_found',
  'item_inactive',
  'combination_not_allowed',
  'new_status_not_found',
  'new_status_inactive',
  'new_status_closed',
  'closed_status_not_found',
  'closed_status_inactive',
  'closed_status_not_closed',
  'priority_not_found',
] as const;
export type BoardProblemCode = (typeof BOARD_PROBLEM_CODES)[number];

/** A {@link FieldProblem} whose code is one of {@link BOARD_PROBLEM_CODES}. */
export interface BoardProblem extends FieldProblem {
  readonly code: BoardProblemCode;
}

const SETUP = 'System › Setup Tables › Service Board';

/** The outcome of {@link validateBoardSelection}: the settings to save, or why not. */
export type BoardValidation =
  | { readonly ok: true; readonly settings: BoardSettingsValues; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly BoardProblem[] };

/**
 * Checks `selection` against the board's setup (null: the board does not exist) and the
 * priorities. Every problem is reported, not only the first, so one round of fixes is enough.
 *
 * @example
 * const result = validateBoardSelection(setup, priorities, selection);
 * if (!result.ok) result.problems.map((p) => `${p.field}: ${p.message}`);
 */
export function validateBoardSelection(
  setup: BoardSetup | null,
  priorities: readonly Priority[],
  selection: BoardSelection,
): BoardValidation {
  const problems: BoardProblem[] = [];
  const priorityRefs = checkPriorities(priorities, selection.priorities, problems);
  if (!setup) {
    problems.unshift({
      code: 'board_not_found',
      field: 'boardId',
      message: `ConnectWise has no service board ${selection.boardId}; it may have been deleted.`,
      fix: `Choose an existing board, or create one in ${SETUP}.`,
    });
    return { ok: false, problems };
  }

  const board = setup.board;
  const boardName = `"${board.name}"`;
  // The board itself: active, a service board, and (the page's rule 4) a default team.
  if (board.inactiveFlag === true) {
    problems.push({
      code: 'board_inactive',
      field: 'boardId',
      message: `The service board ${boardName} is inactive.`,
      fix: `Choose an active board, or clear Inactive on ${boardName} in ${SETUP}.`,
    });
  }
  if (board.projectFlag === true) {
    problems.push({
      code: 'board_is_project',
      field: 'boardId',
      message: `${boardName} is a project board; service tickets cannot be written to it.`,
      fix: 'Choose a service board.',
    });
  }
  const defaultTeam = setup.teams.find((t) => t.defaultFlag === true);
  if (!defaultTeam) {
    problems.push({
      code: 'board_without_default_team',
      field: 'boardId',
      message: `The service board must have a default team for ticket generation; ${boardName} has none.`,
      fix: `In ConnectWise open ${SETUP}, select ${boardName}, and on its Teams tab mark a team as Default (create one first if it has none).`,
    });
  }
  let team: NamedRef | null = null;
  if (selection.teamId !== null) {
    const found = setup.teams.find((t) => t.id === selection.teamId);
    if (found) team = { id: found.id, name: found.name };
    else {
      problems.push({
        code: 'team_not_found',
        field: 'teamId',
        message: `The board ${boardName} has no team ${selection.teamId}.`,
        fix: `Choose one of its teams (${names(setup.teams)}), or leave the team empty to use the default team.`,
      });
    }
  }

  const typeSet = checkTypeSubtypeItem(setup, selection, problems);
  const newStatus = checkNewStatus(setup, selection.newStatusId, problems);
  const closedStatus = checkClosedStatus(setup, selection.closedStatusId, problems);

  if (problems.length > 0 || !typeSet || !newStatus || !closedStatus || !priorityRefs) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    problems: [],
    settings: {
      board: { id: board.id, name: board.name },
      ...typeSet,
      newStatus,
      closedStatus,
      team,
      priorities: priorityRefs,
    },
  };
}

/** Type, subtype and item: each present and active, and together a listed combination. */
function checkTypeSubtypeItem(
  setup: BoardSetup,
  selection: BoardSelection,
  problems: BoardProblem[],
): { type: NamedRef; subtype: NamedRef | null; item: NamedRef | null } | undefined {
  const boardName = `"${setup.board.name}"`;
  const pick = (
    kind: 'type' | 'subtype' | 'item',
    id: number | null,
    records: readonly { id: number; name: string; inactiveFlag?: boolean }[],
  ): NamedRef | null | undefined => {
    if (id === null) return null;
    const found = records.find((r) => r.id === id);
    const field = `${kind}Id`;
    const tab = { type: 'Types', subtype: 'Subtypes', item: 'Items' }[kind];
    if (!found) {
      problems.push({
        code: `${kind}_not_found`,
        field,
        message: `The board ${boardName} has no ${kind} ${id}; it may have been deleted.`,
        fix: `Choose one of its ${tab.toLowerCase()} (${names(records) || 'none yet'}), or add it on the ${tab} tab in ${SETUP}.`,
      });
      return undefined;
    }
    if (found.inactiveFlag === true) {
      problems.push({
        code: `${kind}_inactive`,
        field,
        message: `The ${kind} "${found.name}" of ${boardName} is inactive.`,
        fix: `Choose an active ${kind}, or clear Inactive on it on the ${tab} tab in ${SETUP}.`,
      });
      return undefined;
    }
    return { id: found.id, name: found.name };
  };

  const type = pick('type', selection.typeId, setup.types);
  const subtype = pick('subtype', selection.subtypeId, setup.subtypes);
  const item = pick('item', selection.itemId, setup.items);
  if (!type || subtype === undefined || item === undefined) return undefined;

  // A type alone is always allowed; anything more must be a row of the board's associations.
  if (subtype === null && item === null) return { type, subtype, item };
  const allowed = setup.associations.some(
    (a) =>
      a.type?.id === type.id &&
      (a.subType?.id ?? null) === (subtype?.id ?? null) &&
      (a.item?.id ?? null) === (item?.id ?? null),
  );
  if (allowed) return { type, subtype, item };
  const chosen = [type.name, subtype?.name ?? '(no subtype)', item?.name ?? '(no item)'].join(
    ' / ',
  );
  problems.push({
    code: 'combination_not_allowed',
    field: item ? 'itemId' : 'subtypeId',
    message: `The board ${boardName} does not allow the combination ${chosen}.`,
    fix: `Choose one of the combinations the board lists, or allow this one on the board's Types/Subtypes/Items tabs in ${SETUP}.`,
  });
  return undefined;
}

function checkNewStatus(
  setup: BoardSetup,
  id: number,
  problems: BoardProblem[],
): NamedRef | undefined {
  const boardName = `"${setup.board.name}"`;
  const status = setup.statuses.find((s) => s.id === id);
  if (!status) {
    problems.push({
      code: 'new_status_not_found',
      field: 'newStatusId',
      message: `The board ${boardName} has no status ${id}; it may have been deleted.`,
      fix: `Choose one of its open statuses (${names(setup.statuses.filter(isOpenStatus))}).`,
    });
    return undefined;
  }
  if (status.inactive === true) {
    problems.push({
      code: 'new_status_inactive',
      field: 'newStatusId',
      message: `The status "${status.name}" of ${boardName} is inactive; ConnectWise refuses tickets in it.`,
      fix: `Choose an active status, or clear Inactive on it on the Statuses tab in ${SETUP}.`,
    });
    return undefined;
  }
  if (status.closedStatus === true) {
    problems.push({
      code: 'new_status_closed',
      field: 'newStatusId',
      message: `"${status.name}" is a closed status of ${boardName}: new tickets would be closed the moment they are created.`,
      fix: `Choose an open status for new tickets (${names(setup.statuses.filter(isOpenStatus))}).`,
    });
    return undefined;
  }
  return { id: status.id, name: status.name };
}

function checkClosedStatus(
  setup: BoardSetup,
  id: number,
  problems: BoardProblem[],
): NamedRef | undefined {
  const boardName = `"${setup.board.name}"`;
  const closedOnes = names(
    setup.statuses.filter((s) => s.closedStatus === true && s.inactive !== true),
  );
  const status = setup.statuses.find((s) => s.id === id);
  if (!status) {
    problems.push({
      code: 'closed_status_not_found',
      field: 'closedStatusId',
      message: `The board ${boardName} has no status ${id}; it may have been deleted.`,
      fix: `Choose one of its closed statuses (${closedOnes || 'none yet'}).`,
    });
    return undefined;
  }
  if (status.inactive === true) {
    problems.push({
      code: 'closed_status_inactive',
      field: 'closedStatusId',
      message: `The status "${status.name}" of ${boardName} is inactive; ConnectWise refuses tickets in it.`,
      fix: `Choose an active closed status (${closedOnes || 'none yet'}).`,
    });
    return undefined;
  }
  if (status.closedStatus !== true) {
    problems.push({
      code: 'closed_status_not_closed',
      field: 'closedStatusId',
      message: `"${status.name}" is not a closed status of ${boardName}: tickets the bridge closes would stay open.`,
      fix: `Choose a closed status (${closedOnes || 'none yet'}), or tick Closed on "${status.name}" on the Statuses tab in ${SETUP}.`,
    });
    return undefined;
  }
  return { id: status.id, name: status.name };
}

function checkPriorities(
  priorities: readonly Priority[],
  chosen: PriorityMap<number>,
  problems: BoardProblem[],
): PriorityMap<NamedRef> | undefined {
  const refs: Partial<Record<(typeof SEVERITIES)[number], NamedRef>> = {};
  for (const severity of SEVERITIES) {
    const found = priorities.find((p) => p.id === chosen[severity]);
    if (found) refs[severity] = { id: found.id, name: found.name };
    else {
      problems.push({
        code: 'priority_not_found',
        field: `priorities.${severity}`,
        message: `ConnectWise has no priority ${chosen[severity]} (chosen for ${severity} problems).`,
        fix: `Choose one of the priorities (${names(priorities)}).`,
      });
    }
  }
  const { critical, high, medium, low } = refs;
  return critical && high && medium && low ? { critical, high, medium, low } : undefined;
}

function isOpenStatus(s: { closedStatus?: boolean; inactive?: boolean }): boolean {
  return s.closedStatus !== true && s.inactive !== true;
}

function names(records: readonly { name: string }[]): string {
  return records.map((r) => r.name).join(', ');
}
