/**
 * `action` jobs: one ticket action carried out in ConnectWise, with about one call per action
 * (ids come from the bridge's own tables: no look-ups per ticket).
 *
 * - `create`: `POST /service/tickets` on the configured board, for the company's ConnectWise
 *   company and contact, with the incident's `externalXRef`. A create whose outcome is unknown
 *   (answer lost, worker killed mid-call) is reconciled by listing tickets with that
 *   `externalXRef` before anything is sent again, so no retry ever makes a second ticket.
 * - `note`: `POST …/notes` with the action's flags.
 * - `close`: the resolution note first, then the closed status, so the ticket is never closed
 *   without saying why (and ConnectWise's close notifications carry the resolution).
 * - `reopen`: the new status first, then the note saying why.
 *
 * The two-call actions record each step in the job's payload when it succeeds, and a rerun
 * looks for its note in ConnectWise before adding it again, so a retry never doubles a note.
 */
import type { ManageClient } from '../../connectwise/client/index.js';
import { ManageNotFoundError, ManageOutcomeUnknownError } from '../../connectwise/client/index.js';
import type { Ticket, TicketCreate } from '../../connectwise/models.js';
import type { BoardSettings } from '../../connection/types.js';
import {
  applyTicketObservation,
  type CloseTicketAction,
  type CreateTicketAction,
  type NoteFlags,
  type NoteTicketAction,
  type ReopenTicketAction,
  type TicketAction,
  type TicketObservation,
} from '../../domain/index.js';
import { loadIncident, setIncidentBlocked } from '../../incidents/index.js';
import { getRules } from '../../rules/index.js';
import { toIso } from '../../storage/columns.js';
import type { Database } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import type { Kysely } from 'kysely';
import { recordActivity, type ActivityInput } from '../activity.js';
import { CreateSettlingError, DeliveryBlockedError, LeaseLostError } from '../errors.js';
import type { ActionPayload, ActionProgress, Job } from '../jobs.js';
import { recordDone, recordProgress } from '../record.js';
import { findTicketByXRef, recordTicket, updateTicketStatus } from '../tickets-store.js';
import { writePlan } from './plan-writer.js';
import type { HandlerContext, JobHandler, JobOutcome } from './context.js';

/** One run of one action: the job, its payload and the open client. */
interface Run {
  readonly ctx: HandlerContext;
  readonly job: Job;
  readonly payload: ActionPayload;
  readonly client: ManageClient;
  /** Not the first run: an earlier one may have reached ConnectWise, so reconcile first. */
  readonly rerun: boolean;
  progress: ActionProgress;
}

export const handleActionJob: JobHandler = async (ctx, job) => {
  const payload = parsePayload(job);
  ctx.signal.throwIfAborted();
  const client = await ctx.ports.openClient(job.accountId, {
    signal: ctx.signal,
    ...(ctx.onClientEvent !== undefined && { onEvent: ctx.onClientEvent }),
  });
  const run: Run = {
    ctx,
    job,
    payload,
    client,
    rerun: job.attempts > 1,
    progress: payload.progress ?? {},
  };
  const action = payload.action;
  switch (action.kind) {
    case 'create':
      return createTicket(run, action);
    case 'note':
      return addNote(run, action);
    case 'close':
      return closeTicket(run, action);
    case 'reopen':
      return reopenTicket(run, action);
  }
};

// --- create --------------------------------------------------------------------------------

async function createTicket(run: Run, action: CreateTicketAction): Promise<JobOutcome> {
  const { ctx, job, client } = run;
  const call = { signal: ctx.signal };

  // Recorded already: an earlier run created it and died before marking the job done.
  const recorded = await findTicketByXRef(ctx.db, job.accountId, action.externalXRef);
  if (recorded !== undefined) {
    return finishCreate(run, action, recorded.cwTicketId, recorded.statusName, 'recorded');
  }

  const settings = await requireBoardSettings(run);
  const target = await ctx.ports.ticketTarget(job.accountId, run.payload.companyId);
  if (!target.ok) {
    throw new DeliveryBlockedError(target.problem.code, target.problem.message, target.problem.fix);
  }

  // An earlier run may have sent the create. A request from a worker that died mid-call can
  // still be on its way through ConnectWise, so wait until it has certainly ended, then look for
  // the ticket before sending another.
  const sentAt = run.progress.createSentAt;
  if (sentAt !== undefined) {
    const settledAt = Date.parse(sentAt) + ctx.createSettleMs;
    const waitMs = settledAt - ctx.now().getTime();
    if (waitMs > 0) throw new CreateSettlingError(action.externalXRef, waitMs);
  }
  let ticket =
    run.rerun || sentAt !== undefined
      ? await findByXRef(client, action.externalXRef, ctx.signal)
      : undefined;
  let how: 'created' | 'reconciled' = ticket === undefined ? 'created' : 'reconciled';
  if (ticket === undefined) {
    const body: TicketCreate = {
      summary: action.summary,
      recordType: 'ServiceTicket',
      company: { id: target.cwCompanyId },
      ...(target.contactId !== null && { contact: { id: target.contactId } }),
      board: { id: settings.board.id },
      type: { id: settings.type.id },
      ...(settings.subtype !== null && { subType: { id: settings.subtype.id } }),
      ...(settings.item !== null && { item: { id: settings.item.id } }),
      status: { id: settings.newStatus.id },
      ...(settings.team !== null && { team: { id: settings.team.id } }),
      priority: { id: settings.priorities[action.priority].id },
      initialDescription: action.initialDescription,
      externalXRef: action.externalXRef,
    };
    await saveProgress(run, { createSentAt: ctx.now().toISOString() });
    try {
      ticket = await client.tickets.create(body, call);
    } catch (error) {
      // The answer was lost: ConnectWise may have made the ticket. Only its correlation key
      // can tell (reference §8: no idempotency key); if it is not there yet, the job is retried
      // and the next run looks again before sending.
      if (!(error instanceof ManageOutcomeUnknownError)) throw error;
      ticket = await findByXRef(client, action.externalXRef, ctx.signal);
      if (ticket === undefined) throw error;
      how = 'reconciled';
    }
  }
  return finishCreate(run, action, ticket.id, ticket.status?.name ?? null, how);
}

/** The oldest live ticket with the correlation key (a technician's copy would be newer). */
async function findByXRef(
  client: ManageClient,
  externalXRef: string,
  signal: AbortSignal,
): Promise<Ticket | undefined> {
  const tickets = await client.tickets.findByExternalXRef(externalXRef, { signal });
  return tickets.sort((a, b) => a.id - b.id)[0];
}

async function finishCreate(
  run: Run,
  action: CreateTicketAction,
  ticketId: number,
  statusName: string | null,
  how: 'created' | 'reconciled' | 'recorded',
): Promise<JobOutcome> {
  const { ctx, job } = run;
  const now = ctx.now();
  const summary =
    how === 'created'
      ? `Ticket #${ticketId} created: "${action.summary}".`
      : `Ticket #${ticketId} found by its correlation key ${action.externalXRef} (an earlier attempt had created it); not created again.`;
  await inTransaction(ctx.db, async (trx) => {
    await recordTicket(
      trx,
      job.accountId,
      {
        cwTicketId: ticketId,
        incidentKey: action.incidentKey,
        externalXRef: action.externalXRef,
        companyId: run.payload.companyId,
        summary: action.summary,
        statusName,
        closed: false,
      },
      now,
    );
    await observe(run, trx, action.incidentKey, {
      kind: 'created',
      externalXRef: action.externalXRef,
      ticketId,
    });
    await succeed(run, trx, action, ticketId, {
      kind: how === 'created' ? 'ticket.created' : 'ticket.reconciled',
      message: summary,
    });
  });
  return { summary, incidentKey: action.incidentKey, ticketId };
}

// --- note, close, reopen -------------------------------------------------------------------

async function addNote(run: Run, action: NoteTicketAction): Promise<JobOutcome> {
  const ticketId = await ticketIdOf(run, action);
  if (ticketId === undefined) return ticketGone(run, action, action.ticketId);
  const sent = await sendNote(run, ticketId, action.text, action.flags);
  if (sent === 'gone') return ticketGone(run, action, ticketId);
  const summary = `Note added to ticket #${ticketId}.`;
  await inTransaction(run.ctx.db, (trx) =>
    succeed(run, trx, action, ticketId, { kind: 'ticket.noted', message: summary }),
  );
  return { summary, incidentKey: action.incidentKey, ticketId };
}

async function closeTicket(run: Run, action: CloseTicketAction): Promise<JobOutcome> {
  const settings = await requireBoardSettings(run);
  const ticketId = await ticketIdOf(run, action);
  if (ticketId === undefined) return ticketGone(run, action, action.ticketId);

  // The resolution note first: a ticket is never closed without saying why.
  if (run.progress.noteDone !== true) {
    const sent = await sendNote(run, ticketId, action.resolutionNote, action.noteFlags);
    if (sent === 'gone') return ticketGone(run, action, ticketId);
    await saveProgress(run, { noteDone: true });
  }
  const status = await setStatus(run, ticketId, settings.closedStatus.id);
  if (status === 'gone') return ticketGone(run, action, ticketId);
  const statusName = status.name ?? settings.closedStatus.name;
  const summary = `Ticket #${ticketId} closed (status "${statusName}") with the resolution note.`;
  await inTransaction(run.ctx.db, async (trx) => {
    await updateTicketStatus(
      trx,
      run.job.accountId,
      ticketId,
      { name: statusName, closed: true },
      run.ctx.now(),
    );
    await succeed(run, trx, action, ticketId, { kind: 'ticket.closed', message: summary });
  });
  return { summary, incidentKey: action.incidentKey, ticketId };
}

async function reopenTicket(run: Run, action: ReopenTicketAction): Promise<JobOutcome> {
  const settings = await requireBoardSettings(run);
  const ticketId = await ticketIdOf(run, action);
  if (ticketId === undefined) return ticketGone(run, action, action.ticketId);

  // The open status first, then the note saying why it is open again.
  let statusName: string = settings.newStatus.name;
  if (run.progress.statusDone !== true) {
    const status = await setStatus(run, ticketId, settings.newStatus.id);
    if (status === 'gone') return ticketGone(run, action, ticketId);
    statusName = status.name ?? statusName;
    await saveProgress(run, { statusDone: true });
  }
  const sent = await sendNote(run, ticketId, action.note, action.noteFlags);
  if (sent === 'gone') return ticketGone(run, action, ticketId);
  const summary = `Ticket #${ticketId} reopened (status "${statusName}") with a note.`;
  await inTransaction(run.ctx.db, async (trx) => {
    await updateTicketStatus(
      trx,
      run.job.accountId,
      ticketId,
      { name: statusName, closed: false },
      run.ctx.now(),
    );
    await succeed(run, trx, action, ticketId, { kind: 'ticket.reopened', message: summary });
  });
  return { summary, incidentKey: action.incidentKey, ticketId };
}

/**
 * Adds a note, unless a rerun finds it already there (same text: the earlier run's answer was
 * lost, or the worker died before recording it). `gone` when the ticket no longer exists.
 */
async function sendNote(
  run: Run,
  ticketId: number,
  text: string,
  flags: NoteFlags,
): Promise<'sent' | 'present' | 'gone'> {
  const { client, ctx } = run;
  try {
    if (run.rerun) {
      const notes = await client.ticketNotes.list(ticketId, { signal: ctx.signal }).toArray();
      if (notes.some((note) => note.text.trim() === text.trim())) return 'present';
    }
    await client.ticketNotes.create(
      ticketId,
      {
        text,
        detailDescriptionFlag: flags.detailDescription,
        internalAnalysisFlag: flags.internalAnalysis,
        resolutionFlag: flags.resolution,
      },
      { signal: ctx.signal },
    );
    return 'sent';
  } catch (error) {
    if (isTicketGone(error)) return 'gone';
    throw error;
  }
}

/**
 * Sets the ticket's status (`PATCH`, reference §3.12). Setting a status twice is harmless, so a
 * retry simply sends it again. Returns the status name ConnectWise answered with.
 */
async function setStatus(
  run: Run,
  ticketId: number,
  statusId: number,
): Promise<{ readonly name: string | null } | 'gone'> {
  try {
    const ticket = await run.client.tickets.patch(
      ticketId,
      [{ op: 'replace', path: 'status', value: { id: statusId } }],
      { signal: run.ctx.signal },
    );
    return { name: ticket.status?.name ?? null };
  } catch (error) {
    if (isTicketGone(error)) return 'gone';
    throw error;
  }
}

// 404 on a ticket's own URL: deleted in ConnectWise (reference §5.3). Not an unknown endpoint.
function isTicketGone(error: unknown): boolean {
  return error instanceof ManageNotFoundError && !error.endpointMissing;
}

async function saveProgress(run: Run, step: ActionProgress): Promise<void> {
  run.progress = { ...run.progress, ...step };
  const saved = await recordProgress(
    run.ctx.db,
    run.job,
    run.ctx.workerId,
    { ...run.payload, progress: run.progress } satisfies ActionPayload,
    run.ctx.now(),
  );
  if (!saved) throw new LeaseLostError(run.job.id);
}

/**
 * The ticket an action is about: the bridge's record for its correlation key (following a
 * merge), else the id the action carries, else ConnectWise's ticket with that key. Undefined
 * when there is none anywhere.
 */
async function ticketIdOf(
  run: Run,
  action: NoteTicketAction | CloseTicketAction | ReopenTicketAction,
): Promise<number | undefined> {
  const { ctx, job } = run;
  const recorded = await findTicketByXRef(ctx.db, job.accountId, action.externalXRef);
  if (recorded !== undefined) return recorded.mergedIntoTicketId ?? recorded.cwTicketId;
  if (action.ticketId !== null) return action.ticketId;
  const found = await findByXRef(run.client, action.externalXRef, ctx.signal);
  if (found === undefined) return undefined;
  await recordTicket(
    ctx.db,
    job.accountId,
    {
      cwTicketId: found.id,
      incidentKey: action.incidentKey,
      externalXRef: action.externalXRef,
      companyId: run.payload.companyId,
      summary: found.summary,
      statusName: found.status?.name ?? null,
      closed: found.closedFlag === true,
    },
    ctx.now(),
  );
  return found.id;
}

/**
 * The ticket is gone from ConnectWise (deleted by someone): the action cannot be delivered and
 * never will be. The incident is told (it stops following the ticket) and the job ends with a
 * warning, instead of blocking every later action of the incident behind it.
 */
async function ticketGone(
  run: Run,
  action: TicketAction,
  ticketId: number | null,
): Promise<JobOutcome> {
  const { ctx } = run;
  const which = ticketId === null ? `with correlation key ${action.externalXRef}` : `#${ticketId}`;
  const summary = `Ticket ${which} no longer exists in ConnectWise; the ${action.kind} was not delivered.`;
  await inTransaction(ctx.db, async (trx) => {
    if (ticketId !== null) {
      await observe(run, trx, action.incidentKey, {
        kind: 'deleted',
        ticketId,
        at: toIso(ctx.now()),
      });
    }
    await succeed(run, trx, action, ticketId, {
      kind: 'ticket.gone',
      message: summary,
      level: 'warn',
    });
  });
  return { summary, incidentKey: action.incidentKey, ...(ticketId !== null && { ticketId }) };
}

// --- shared --------------------------------------------------------------------------------

async function requireBoardSettings(run: Run): Promise<BoardSettings> {
  const settings = await run.ctx.ports.boardSettings(run.job.accountId);
  if (settings !== null) return settings;
  throw new DeliveryBlockedError(
    'no_board_settings',
    'No service board is chosen for this account, so tickets cannot be written.',
    'Choose the board, type, statuses, team and priorities in Settings › ConnectWise Manage › Tickets; delivery then resumes by itself.',
  );
}

/** Feeds what was seen in ConnectWise to the incident, in the caller's transaction. */
async function observe(
  run: Run,
  trx: Kysely<Database>,
  incidentKey: string,
  observation: TicketObservation,
): Promise<void> {
  const { ctx, job } = run;
  const stored = await loadIncident(trx, job.accountId, incidentKey, {
    lock: ctx.dialect === 'postgres',
  });
  if (stored === undefined) return;
  const rules = await getRules(trx, job.accountId);
  const now = ctx.now();
  const result = applyTicketObservation(stored.incident, observation, rules, toIso(now));
  if (result.incident === undefined || result.incident === stored.incident) return;
  await writePlan(
    trx,
    {
      accountId: job.accountId,
      companyId: stored.companyId,
      before: new Map([[incidentKey, stored]]),
      incidents: [result.incident],
      actions: result.actions,
      rules,
      deviceIdOf: () => stored.deviceId,
    },
    now,
  );
}

/** The action is delivered: clear the incident's blocked mark, log it, mark the job done. */
async function succeed(
  run: Run,
  trx: Kysely<Database>,
  action: TicketAction,
  ticketId: number | null,
  line: { kind: string; message: string; level?: ActivityInput['level'] },
): Promise<void> {
  const { ctx, job } = run;
  const now = ctx.now();
  await setIncidentBlocked(trx, job.accountId, action.incidentKey, null);
  await recordActivity(
    trx,
    {
      accountId: job.accountId,
      kind: line.kind,
      level: line.level ?? 'info',
      message: line.message,
      companyId: run.payload.companyId,
      incidentKey: action.incidentKey,
      ticketId,
      jobId: job.id,
    },
    now,
  );
  if (!(await recordDone(trx, job, ctx.workerId, now))) throw new LeaseLostError(job.id);
}

function parsePayload(job: Job): ActionPayload {
  const payload = job.payload as Partial<ActionPayload> | null;
  const kind = payload?.action?.kind;
  if (
    payload?.action === undefined ||
    typeof payload.companyId !== 'string' ||
    (kind !== 'create' && kind !== 'note' && kind !== 'close' && kind !== 'reopen')
  ) {
    throw new DeliveryBlockedError(
      'job_malformed',
      `Job ${job.id} is an action job without a ticket action the worker knows.`,
      'Nothing can be done with it; it stays blocked for inspection.',
    );
  }
  return payload as ActionPayload;
}
