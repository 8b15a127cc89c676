/**
 * What ConnectWise says about the bridge's tickets right now, read with as few calls as the URL
 * allows: one list call per batch (`conditions=id in (…)` with a partial response), never one
 * call per ticket.
 *
 * A ticket that is not among the service tickets is looked for among the project tickets (a
 * technician can turn a service ticket into a project ticket; the two are separate resources
 * that share one id sequence, reference §3.5, §3.9), and the other way round. One found in
 * neither is gone. A merged ticket points at its parent through `mergedParentTicket`
 * (reference §3.5), whose state is read too, so the incident can follow it.
 */
import type { ManageClient } from '../connectwise/client/index.js';
import { encodeQuery, MAX_PAGE_SIZE } from '../connectwise/client/index.js';
import { where } from '../connectwise/conditions/index.js';
import { ENDPOINTS } from '../connectwise/endpoints.js';
import type { ProjectTicket, Ticket } from '../connectwise/models.js';
import type { TicketRecordType } from '../worker/tables.js';

/** One ticket as ConnectWise has it now. */
export interface TicketState {
  readonly ticketId: number;
  readonly recordType: TicketRecordType;
  readonly statusName: string | null;
  readonly closed: boolean;
  /** ConnectWise's `closedDate` (ISO, as `toISOString` writes it), when closed and given. */
  readonly closedAt: string | null;
  readonly boardId: number | null;
  readonly boardName: string | null;
  /** The ticket it was merged into (`mergedParentTicket`); service tickets only. */
  readonly mergedIntoTicketId: number | null;
  /** `_info.lastUpdated`. */
  readonly lastUpdated: string | null;
}

/**
 * The partial response of a service-ticket poll: only what tracking compares, so a batch of
 * hundreds of tickets stays a few kilobytes (reference §4 `fields`).
 */
export const SERVICE_TICKET_FIELDS: readonly string[] = [
  'id',
  'status/name',
  'closedFlag',
  'closedDate',
  'board/id',
  'board/name',
  'mergedParentTicket/id',
  '_info/lastUpdated',
];

/** The same for project tickets, which have no `closedDate` or `mergedParentTicket`. */
export const PROJECT_TICKET_FIELDS: readonly string[] = [
  'id',
  'status/name',
  'closedFlag',
  'board/id',
  'board/name',
  '_info/lastUpdated',
];

/**
 * Longest URL a poll sends by default: under 2,000 characters. Proxies and gateways in front of
 * on-premises ConnectWise commonly refuse longer URLs, and the cloud's own limit is not
 * documented; longer filters would need `POST …/search` (reference §4.4).
 */
export const DEFAULT_MAX_URL_LENGTH = 1_999;

/** Merges followed from one ticket before giving up (a merge chain this long is a mistake). */
export const MAX_MERGE_DEPTH = 5;

/** Options of {@link lookUpTickets}. */
export interface LookUpOptions {
  /** Default {@link DEFAULT_MAX_URL_LENGTH}. */
  readonly maxUrlLength?: number;
  readonly signal?: AbortSignal;
}

/** What {@link lookUpTickets} found. */
export interface TicketLookup {
  /** By ticket id; a ticket looked up and absent here is gone from ConnectWise. */
  readonly states: ReadonlyMap<number, TicketState>;
  /** ConnectWise calls made. */
  readonly calls: number;
}

/**
 * Splits `ids` into batches whose request URL, as `urlLengthOf` measures it, stays within
 * `maxUrlLength`, and whose size stays within ConnectWise's page size limit, so each batch is
 * one call. Order is kept.
 *
 * @throws RangeError when even one id does not fit.
 * @example
 * planIdBatches([1, 2, 3], (batch) => 40 + 8 * batch.length, 60) // [[1, 2], [3]]
 */
export function planIdBatches(
  ids: readonly number[],
  urlLengthOf: (batch: readonly number[]) => number,
  maxUrlLength: number,
): number[][] {
  const batches: number[][] = [];
  let batch: number[] = [];
  for (const id of ids) {
    const candidate = [...batch, id];
    if (candidate.length <= MAX_PAGE_SIZE && urlLengthOf(candidate) <= maxUrlLength) {
      batch = candidate;
      continue;
    }
    if (batch.length === 0) {
      throw new RangeError(
        `A poll for ticket ${id} alone needs a URL of ${urlLengthOf([id])} characters, over the limit of ${maxUrlLength}; raise maxUrlLength.`,
      );
    }
    batches.push(batch);
    batch = [id];
    if (urlLengthOf(batch) > maxUrlLength) {
      throw new RangeError(
        `A poll for ticket ${id} alone needs a URL of ${urlLengthOf(batch)} characters, over the limit of ${maxUrlLength}; raise maxUrlLength.`,
      );
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The current state of each ticket of `service` (ids last seen as service tickets) and
 * `project` (last seen as project tickets), following merges to the parent tickets.
 *
 * @example
 * const { states, calls } = await lookUpTickets(client, { service: [30001, 30002], project: [] });
 */
export async function lookUpTickets(
  client: ManageClient,
  wanted: { readonly service: readonly number[]; readonly project: readonly number[] },
  options: LookUpOptions = {},
): Promise<TicketLookup> {
  const states = new Map<number, TicketState>();
  let calls = 0;
  const read = async (resource: TicketRecordType, ids: readonly number[]): Promise<number[]> => {
    const fresh = [...new Set(ids)].filter((id) => !states.has(id));
    if (fresh.length === 0) return [];
    const found = await listStates(client, resource, fresh, options);
    calls += found.calls;
    for (const state of found.states) states.set(state.ticketId, state);
    return fresh.filter((id) => !states.has(id));
  };

  // Each where it was last seen, then the misses in the other resource.
  const missingService = await read('service', wanted.service);
  const missingProject = await read('project', wanted.project);
  await read('project', missingService);
  await read('service', missingProject);

  // Merge parents, a level at a time.
  for (let depth = 0; depth < MAX_MERGE_DEPTH; depth++) {
    const parents = [...states.values()]
      .map((state) => state.mergedIntoTicketId)
      .filter((id): id is number => id !== null && !states.has(id));
    if (parents.length === 0) break;
    await read('project', await read('service', parents));
    // Parents found nowhere are not asked for again.
    for (const id of parents) if (!states.has(id)) markAbsent(states, id);
  }
  for (const [id, state] of states) if (state === ABSENT) states.delete(id);
  return { states, calls };
}

// A parent found nowhere, kept in the map while merges are followed so it is not asked twice.
const ABSENT = Object.freeze({}) as TicketState;
function markAbsent(states: Map<number, TicketState>, id: number): void {
  states.set(id, ABSENT);
}

/** One resource's states for `ids`, one list call per batch. */
async function listStates(
  client: ManageClient,
  resource: TicketRecordType,
  ids: readonly number[],
  options: LookUpOptions,
): Promise<{ states: TicketState[]; calls: number }> {
  const fields = resource === 'service' ? SERVICE_TICKET_FIELDS : PROJECT_TICKET_FIELDS;
  const path =
    resource === 'service' ? ENDPOINTS.listTickets.path : ENDPOINTS.listProjectTickets.path;
  const codebase = await client.codebase(options.signal ? { signal: options.signal } : {});
  const urlLengthOf = (batch: readonly number[]): number =>
    pollUrl(client.apiBase, codebase, path, batch, fields).length;
  const batches = planIdBatches(ids, urlLengthOf, options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH);

  const states: TicketState[] = [];
  for (const batch of batches) {
    const query = {
      conditions: where.in('id', batch),
      fields,
      pageSize: batch.length,
      ...(options.signal && { signal: options.signal }),
    };
    if (resource === 'service') {
      const page = await client.tickets.listPage(query);
      states.push(...page.records.map(serviceState));
    } else {
      const page = await client.projectTickets.listPage(query);
      states.push(...page.records.map(projectState));
    }
  }
  return { states, calls: batches.length };
}

/**
 * The URL of one poll, exactly as the client sends it (its parameters in its order, escaped as
 * ConnectWise documents, reference §4.1).
 */
export function pollUrl(
  apiBase: string,
  codebase: string,
  path: string,
  ids: readonly number[],
  fields: readonly string[],
): string {
  const query = encodeQuery([
    ['conditions', where.in('id', ids)],
    ['fields', fields.join(',')],
    ['pageSize', String(ids.length)],
  ]);
  return new URL(`/${codebase}apis/3.0${path}?${query}`, apiBase).href;
}

function serviceState(ticket: Ticket): TicketState {
  return {
    ticketId: ticket.id,
    recordType: 'service',
    statusName: ticket.status?.name ?? null,
    closed: ticket.closedFlag === true,
    closedAt: ticket.closedFlag === true ? isoOrNull(ticket.closedDate) : null,
    boardId: ticket.board?.id ?? null,
    boardName: ticket.board?.name ?? null,
    mergedIntoTicketId: ticket.mergedParentTicket?.id ?? null,
    lastUpdated: isoOrNull(ticket._info?.lastUpdated),
  };
}

/**
 * A ConnectWise time in the bridge's form (`toISOString`), so it compares as text with the
 * bridge's own times; null when absent or not a time.
 */
function isoOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function projectState(ticket: ProjectTicket): TicketState {
  return {
    ticketId: ticket.id,
    recordType: 'project',
    statusName: ticket.status?.name ?? null,
    closed: ticket.closedFlag === true,
    closedAt: null,
    boardId: ticket.board?.id ?? null,
    boardName: ticket.board?.name ?? null,
    mergedIntoTicketId: null,
    lastUpdated: isoOrNull(ticket._info?.lastUpdated),
  };
}
