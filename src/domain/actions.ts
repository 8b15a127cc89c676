/**
 * Ticket actions: what the domain asks the worker to do in ConnectWise. Plain JSON data; the
 * worker executes them in order per incident.
 *
 * Every action carries the incident key and the ticket's `externalXRef`, so the worker can find
 * the ticket even when `ticketId` was not yet known at planning time (a note planned right after
 * a create), and `actionId`, unique and stable per incident, so a retried action can be
 * recognised.
 */
import type { Condition, Severity } from './conditions.js';

/**
 * How a note is flagged in ConnectWise (connectwise-api.md §3.6): `detailDescription` is the
 * customer-facing discussion, `internalAnalysis` is internal only, `resolution` is the final
 * resolution. ConnectWise derives `internalFlag`/`externalFlag` from these.
 */
export interface NoteFlags {
  detailDescription: boolean;
  internalAnalysis: boolean;
  resolution: boolean;
}

/** Repeats and reopen notes are for technicians only: no customer e-mail for each failure. */
export const INTERNAL_NOTE: Readonly<NoteFlags> = Object.freeze({
  detailDescription: false,
  internalAnalysis: true,
  resolution: false,
});

/** The closing note is the ticket's resolution. */
export const RESOLUTION_NOTE: Readonly<NoteFlags> = Object.freeze({
  detailDescription: false,
  internalAnalysis: false,
  resolution: true,
});

interface ActionBase {
  /** `<externalXRef>/<sequence>`: unique per action, stable across retries. */
  actionId: string;
  incidentKey: string;
  /** Correlation key of the ticket the action is about (max 100 characters). */
  externalXRef: string;
  /** The ConnectWise ticket id when already known; else find it by `externalXRef`. */
  ticketId: number | null;
  /** Stored event ids that led to this action (at most 50, newest last). */
  eventIds: string[];
}

/** Create a service ticket; reconcile by `externalXRef` before retrying a create. */
export interface CreateTicketAction extends Omit<ActionBase, 'ticketId'> {
  kind: 'create';
  ticketId: null;
  accountId: string;
  /** The console's company name, to be matched to the ConnectWise company. */
  company: string;
  condition: Condition;
  /** The device, or null for a storm ticket. */
  deviceId: string | null;
  /** At most 100 characters, one line (connectwise-api.md §3.5). */
  summary: string;
  /** Sent as `initialDescription`; becomes the first note with `detailDescriptionFlag`. */
  initialDescription: string;
  priority: Severity;
  /** The closed ticket this one follows, when the problem came back. */
  previousTicketId: number | null;
}

/** Add a note to the ticket. */
export interface NoteTicketAction extends ActionBase {
  kind: 'note';
  text: string;
  flags: NoteFlags;
}

/** Add the resolution note, then set the board's closed status. */
export interface CloseTicketAction extends ActionBase {
  kind: 'close';
  resolutionNote: string;
  noteFlags: NoteFlags;
}

/** Set the board's reopened (open) status, then add the note. */
export interface ReopenTicketAction extends ActionBase {
  kind: 'reopen';
  note: string;
  noteFlags: NoteFlags;
}

/** Everything the domain can ask of the worker. */
export type TicketAction =
  CreateTicketAction | NoteTicketAction | CloseTicketAction | ReopenTicketAction;
