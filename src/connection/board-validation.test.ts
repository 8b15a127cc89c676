import { describe, expect, it } from 'vitest';

import type { Priority } from '../connectwise/models.js';
import type { BoardSetup } from './board-setup.js';
import { boardOptionsOf } from './board-setup.js';
import { validateBoardSelection } from './board-validation.js';
import { DEMO_SELECTION } from './test-support.js';
import type { BoardSelection } from './types.js';

/** The demo board "Backup Alerts", as ConnectWise lists it. */
function setup(overrides: Partial<BoardSetup> = {}): BoardSetup {
  return {
    board: { id: 21, name: 'Backup Alerts' },
    statuses: [
      { id: 101, name: 'New', defaultFlag: true, sortOrder: 1 },
      { id: 102, name: 'In Progress', sortOrder: 2 },
      { id: 104, name: 'Resolved', closedStatus: true, sortOrder: 4 },
      { id: 105, name: 'Closed', closedStatus: true, sortOrder: 5 },
      { id: 106, name: 'Escalated (retired)', inactive: true, sortOrder: 6 },
      { id: 107, name: 'Closed (old)', inactive: true, closedStatus: true, sortOrder: 7 },
    ],
    types: [
      { id: 201, name: 'Backup', defaultFlag: true },
      { id: 202, name: 'Device' },
      { id: 203, name: 'Legacy', inactiveFlag: true },
    ],
    subtypes: [
      { id: 301, name: 'Failed' },
      { id: 304, name: 'Offline' },
      { id: 309, name: 'Old', inactiveFlag: true },
    ],
    items: [
      { id: 401, name: 'Job' },
      { id: 403, name: 'Agent' },
    ],
    teams: [
      { id: 11, name: 'Backup Team', defaultFlag: true },
      { id: 12, name: 'Escalations' },
    ],
    associations: [
      { id: 1, type: { id: 201 }, subType: { id: 301 }, item: { id: 401 } },
      { id: 5, type: { id: 202 }, subType: { id: 304 }, item: { id: 403 } },
      { id: 7, type: { id: 202 }, subType: { id: 304 } },
      { id: 8, type: { id: 201 }, subType: { id: 309 }, item: { id: 401 } },
    ],
    ...overrides,
  };
}

const PRIORITIES: Priority[] = [
  { id: 1, name: 'Priority 1 - Critical' },
  { id: 2, name: 'Priority 2 - High' },
  { id: 3, name: 'Priority 3 - Normal' },
  { id: 4, name: 'Priority 4 - Low' },
];

function check(selection: Partial<BoardSelection>, board: BoardSetup | null = setup()) {
  return validateBoardSelection(board, PRIORITIES, { ...DEMO_SELECTION, ...selection });
}

function codes(selection: Partial<BoardSelection>, board?: BoardSetup | null): string[] {
  return check(selection, board).problems.map((p) => `${p.field}:${p.code}`);
}

describe('validateBoardSelection', () => {
  it('accepts a valid selection and names every record it refers to', () => {
    const result = check({ teamId: 12 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toEqual({
      board: { id: 21, name: 'Backup Alerts' },
      type: { id: 201, name: 'Backup' },
      subtype: { id: 301, name: 'Failed' },
      item: { id: 401, name: 'Job' },
      newStatus: { id: 101, name: 'New' },
      closedStatus: { id: 105, name: 'Closed' },
      team: { id: 12, name: 'Escalations' },
      priorities: {
        critical: { id: 1, name: 'Priority 1 - Critical' },
        high: { id: 2, name: 'Priority 2 - High' },
        medium: { id: 3, name: 'Priority 3 - Normal' },
        low: { id: 4, name: 'Priority 4 - Low' },
      },
    });
  });

  it('keeps a null team, meaning the board default team', () => {
    const result = check({});
    expect(result.ok && result.settings.team).toBeNull();
  });

  it('refuses a board without a default team with the page’s rule and where to fix it', () => {
    const teams = [{ id: 12, name: 'Escalations' }];
    const result = check({}, setup({ teams }));
    expect(result.problems).toEqual([
      {
        code: 'board_without_default_team',
        field: 'boardId',
        message:
          'The service board must have a default team for ticket generation; "Backup Alerts" has none.',
        fix: expect.stringContaining('System › Setup Tables › Service Board') as string,
      },
    ]);
    expect(result.problems[0]?.fix).toContain('Teams tab');
  });

  it('refuses a board without a default team even when a team is chosen', () => {
    const teams = [{ id: 12, name: 'Escalations' }];
    expect(codes({ teamId: 12 }, setup({ teams }))).toEqual(['boardId:board_without_default_team']);
  });

  it('refuses an inactive board and a project board', () => {
    expect(
      codes({}, setup({ board: { id: 21, name: 'Backup Alerts', inactiveFlag: true } })),
    ).toEqual(['boardId:board_inactive']);
    expect(
      codes({}, setup({ board: { id: 21, name: 'Backup Alerts', projectFlag: true } })),
    ).toEqual(['boardId:board_is_project']);
  });

  it('refuses a board that no longer exists', () => {
    expect(codes({}, null)).toEqual(['boardId:board_not_found']);
  });

  it('refuses a closed status that is not a closed status', () => {
    const result = check({ closedStatusId: 102 });
    expect(result.problems.map((p) => p.code)).toEqual(['closed_status_not_closed']);
    expect(result.problems[0]?.message).toContain('"In Progress" is not a closed status');
    expect(result.problems[0]?.fix).toContain('Resolved, Closed');
  });

  it('refuses a new-ticket status that is a closed status', () => {
    expect(codes({ newStatusId: 104 })).toEqual(['newStatusId:new_status_closed']);
  });

  it('refuses inactive statuses for either role', () => {
    expect(codes({ newStatusId: 106 })).toEqual(['newStatusId:new_status_inactive']);
    expect(codes({ closedStatusId: 107 })).toEqual(['closedStatusId:closed_status_inactive']);
  });

  it('refuses statuses, teams, types and priorities that no longer exist', () => {
    expect(
      codes({
        newStatusId: 900,
        closedStatusId: 901,
        teamId: 902,
        typeId: 903,
        priorities: { critical: 1, high: 2, medium: 3, low: 904 },
      }),
    ).toEqual([
      'priorities.low:priority_not_found',
      'teamId:team_not_found',
      'typeId:type_not_found',
      'newStatusId:new_status_not_found',
      'closedStatusId:closed_status_not_found',
    ]);
  });

  it('refuses a type/subtype/item combination the board does not list', () => {
    const result = check({ typeId: 201, subtypeId: 304, itemId: 403 });
    expect(result.problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'itemId:combination_not_allowed',
    ]);
    expect(result.problems[0]?.message).toContain('Backup / Offline / Agent');
  });

  it('accepts a type alone, and a listed combination without an item', () => {
    expect(check({ typeId: 202, subtypeId: null, itemId: null }).ok).toBe(true);
    expect(check({ typeId: 202, subtypeId: 304, itemId: null }).ok).toBe(true);
  });

  it('refuses a combination with an item left out when the board lists it only with items', () => {
    expect(codes({ typeId: 201, subtypeId: 301, itemId: null })).toEqual([
      'subtypeId:combination_not_allowed',
    ]);
  });

  it('refuses inactive types and subtypes', () => {
    expect(codes({ typeId: 203, subtypeId: null, itemId: null })).toEqual(['typeId:type_inactive']);
    expect(codes({ subtypeId: 309 })).toEqual(['subtypeId:subtype_inactive']);
  });

  it('reports every problem at once', () => {
    const teams = [{ id: 12, name: 'Escalations' }];
    expect(codes({ newStatusId: 105, closedStatusId: 101 }, setup({ teams }))).toEqual([
      'boardId:board_without_default_team',
      'newStatusId:new_status_closed',
      'closedStatusId:closed_status_not_closed',
    ]);
  });
});

describe('boardOptionsOf', () => {
  it('offers only the listed combinations of active types, subtypes and items', () => {
    const options = boardOptionsOf(setup());
    expect(
      options.combinations.map((c) =>
        [c.type.name, c.subtype?.name ?? '-', c.item?.name ?? '-'].join('/'),
      ),
    ).toEqual(['Backup/Failed/Job', 'Device/Offline/Agent', 'Device/Offline/-']);
  });

  it('flags default, closed and inactive statuses and the default team', () => {
    const options = boardOptionsOf(setup());
    expect(options.board.hasDefaultTeam).toBe(true);
    expect(options.statuses.find((s) => s.id === 101)).toMatchObject({
      default: true,
      closed: false,
    });
    expect(options.statuses.find((s) => s.id === 105)).toMatchObject({
      closed: true,
      inactive: false,
    });
    expect(options.statuses.find((s) => s.id === 106)).toMatchObject({ inactive: true });
    expect(options.teams).toEqual([
      { id: 11, name: 'Backup Team', default: true },
      { id: 12, name: 'Escalations', default: false },
    ]);
  });

  it('says when a board has no default team', () => {
    const options = boardOptionsOf(setup({ teams: [{ id: 12, name: 'Escalations' }] }));
    expect(options.board.hasDefaultTeam).toBe(false);
  });
});
