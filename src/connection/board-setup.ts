/**
 * A service board's setup tables as ConnectWise holds them (System › Setup Tables › Service
 * Board): statuses, types, subtypes, items, teams and the type/subtype/item combinations, read in
 * one go, and the choices the console offers from them.
 */
import type { ManageClient, RequestOptions } from '../connectwise/client/index.js';
import type {
  Board,
  BoardItem,
  BoardStatus,
  BoardSubType,
  BoardTeam,
  BoardType,
  BoardTypeSubTypeItemAssociation,
  Priority,
} from '../connectwise/models.js';
import type { NamedRef } from './types.js';

/** Everything under one board. */
export interface BoardSetup {
  readonly board: Board;
  readonly statuses: readonly BoardStatus[];
  readonly types: readonly BoardType[];
  readonly subtypes: readonly BoardSubType[];
  readonly items: readonly BoardItem[];
  readonly teams: readonly BoardTeam[];
  readonly associations: readonly BoardTypeSubTypeItemAssociation[];
}

/**
 * Reads a board and its setup tables (7 calls, in parallel).
 *
 * @throws ManageNotFoundError when the board does not exist; other client errors as thrown.
 */
export async function loadBoardSetup(
  client: ManageClient,
  boardId: number,
  options: RequestOptions = {},
): Promise<BoardSetup> {
  const [board, statuses, types, subtypes, items, teams, associations] = await Promise.all([
    client.boards.get(boardId, options),
    client.boards.statuses(boardId, options).toArray(),
    client.boards.types(boardId, options).toArray(),
    client.boards.subtypes(boardId, options).toArray(),
    client.boards.items(boardId, options).toArray(),
    client.boards.teams(boardId, options).toArray(),
    client.boards.typeSubTypeItemAssociations(boardId, options).toArray(),
  ]);
  return { board, statuses, types, subtypes, items, teams, associations };
}

/** A board in the console's list. */
export interface BoardSummary {
  readonly id: number;
  readonly name: string;
  readonly inactive: boolean;
  /** A project board: service tickets cannot be written to it. */
  readonly project: boolean;
}

/** Every service board, by name. */
export async function listBoardSummaries(
  client: ManageClient,
  options: RequestOptions = {},
): Promise<BoardSummary[]> {
  const boards = await client.boards.list(options).toArray();
  return boards
    .map((b) => ({
      id: b.id,
      name: b.name,
      inactive: b.inactiveFlag === true,
      project: b.projectFlag === true,
    }))
    .sort(byName);
}

/** A priority in the console's list. */
export interface PriorityOption {
  readonly id: number;
  readonly name: string;
  readonly default: boolean;
  readonly sortOrder: number | null;
}

/** Every priority, in ConnectWise's sort order. */
export async function listPriorityOptions(
  client: ManageClient,
  options: RequestOptions = {},
): Promise<PriorityOption[]> {
  const priorities = await client.priorities.list(options).toArray();
  return priorities.map(priorityOption).sort(bySortOrder);
}

/** Reads every priority as ConnectWise returns them. */
export function loadPriorities(
  client: ManageClient,
  options: RequestOptions = {},
): Promise<Priority[]> {
  return client.priorities.list(options).toArray();
}

/** A setup-table record offered for choice. */
export interface ChoiceOption extends NamedRef {
  readonly inactive: boolean;
}

/** A type/subtype/item combination the board allows. */
export interface CombinationOption {
  readonly type: NamedRef;
  readonly subtype: NamedRef | null;
  readonly item: NamedRef | null;
}

/** What the console offers for one board. */
export interface BoardOptions {
  readonly board: BoardSummary & {
    /** The page's rule 4: without a default team the board cannot take the bridge's tickets. */
    readonly hasDefaultTeam: boolean;
  };
  readonly types: readonly (ChoiceOption & { readonly default: boolean })[];
  readonly subtypes: readonly ChoiceOption[];
  readonly items: readonly ChoiceOption[];
  /** Only what `typeSubTypeItemAssociations` lists, among active types, subtypes and items. */
  readonly combinations: readonly CombinationOption[];
  readonly statuses: readonly (ChoiceOption & {
    readonly default: boolean;
    readonly closed: boolean;
  })[];
  readonly teams: readonly (NamedRef & { readonly default: boolean })[];
}

/** The choices of a board, each flagged the way the console shows it. */
export function boardOptionsOf(setup: BoardSetup): BoardOptions {
  const activeTypes = new Set(setup.types.filter((t) => t.inactiveFlag !== true).map((t) => t.id));
  const activeSubtypes = new Set(
    setup.subtypes.filter((s) => s.inactiveFlag !== true).map((s) => s.id),
  );
  const activeItems = new Set(setup.items.filter((i) => i.inactiveFlag !== true).map((i) => i.id));

  const combinations: CombinationOption[] = [];
  for (const a of setup.associations) {
    if (!a.type || !activeTypes.has(a.type.id)) continue;
    if (a.subType && !activeSubtypes.has(a.subType.id)) continue;
    if (a.item && !activeItems.has(a.item.id)) continue;
    combinations.push({
      type: refOf(a.type.id, setup.types),
      subtype: a.subType ? refOf(a.subType.id, setup.subtypes) : null,
      item: a.item ? refOf(a.item.id, setup.items) : null,
    });
  }

  return {
    board: {
      id: setup.board.id,
      name: setup.board.name,
      inactive: setup.board.inactiveFlag === true,
      project: setup.board.projectFlag === true,
      hasDefaultTeam: setup.teams.some((t) => t.defaultFlag === true),
    },
    types: setup.types.map((t) => ({
      ...choice(t.id, t.name, t.inactiveFlag),
      default: t.defaultFlag === true,
    })),
    subtypes: setup.subtypes.map((s) => choice(s.id, s.name, s.inactiveFlag)),
    items: setup.items.map((i) => choice(i.id, i.name, i.inactiveFlag)),
    combinations,
    statuses: [...setup.statuses].sort(bySortOrder).map((s) => ({
      ...choice(s.id, s.name, s.inactive),
      default: s.defaultFlag === true,
      closed: s.closedStatus === true,
    })),
    teams: setup.teams.map((t) => ({ id: t.id, name: t.name, default: t.defaultFlag === true })),
  };
}

/** The name of record `id` in `records` (the association's own reference may omit it). */
function refOf(id: number, records: readonly { id: number; name: string }[]): NamedRef {
  return { id, name: records.find((r) => r.id === id)?.name ?? `#${id}` };
}

function choice(id: number, name: string, inactive: boolean | undefined): ChoiceOption {
  return { id, name, inactive: inactive === true };
}

function priorityOption(p: Priority): PriorityOption {
  return {
    id: p.id,
    name: p.name,
    default: p.defaultFlag === true,
    sortOrder: p.sortOrder ?? null,
  };
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}

function bySortOrder(
  a: { sortOrder?: number | null | undefined; id: number },
  b: { sortOrder?: number | null | undefined; id: number },
): number {
  return (a.sortOrder ?? Infinity) - (b.sortOrder ?? Infinity) || a.id - b.id;
}
