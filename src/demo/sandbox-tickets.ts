/**
 * The demo sandbox's tickets, kept across starts. The sandbox holds its tenant in memory, but
 * the bridge's database remembers the tickets it made there (their ids, for notes, closes and
 * reopens). So that a second `psabridge demo` on the same data directory meets the Manage it
 * left, the tickets written during a run are saved in the data directory, in the sandbox's own
 * fixture format, and loaded with the demo fixture at the next start.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

import type { SandboxFixture, SandboxState } from '../sandbox/index.js';

/** A ticket as the sandbox fixture format writes it. */
export type FixtureTicketInput = NonNullable<SandboxFixture['tickets']>[number];

/** The saved tickets file: `{ version: 1, tickets }`. */
interface SavedTickets {
  readonly version: 1;
  readonly tickets: FixtureTicketInput[];
}

/**
 * The tickets of `state` whose id is not in `baseIds` (the fixture's own), as fixture tickets:
 * names for board, status, type, subtype, item, team and priority, the company by id, every
 * note (the initial description is the first) with its author and time.
 */
export function ticketsAsFixture(
  state: SandboxState,
  baseIds: ReadonlySet<number>,
): FixtureTicketInput[] {
  const tickets: FixtureTicketInput[] = [];
  for (const ticket of state.listTickets()) {
    // The sandbox always names a ticket's board; a nameless one could not be loaded again.
    const board = ticket.board.name;
    if (baseIds.has(ticket.id) || board === undefined) continue;
    tickets.push({
      id: ticket.id,
      summary: ticket.summary,
      board,
      ...named('status', ticket.status),
      company: { id: ticket.company.id },
      ...(ticket.contactName !== undefined && { contact: ticket.contactName }),
      ...named('type', ticket.type),
      ...named('subType', ticket.subType),
      ...named('item', ticket.item),
      ...named('team', ticket.team),
      ...named('priority', ticket.priority),
      severity: ticket.severity,
      impact: ticket.impact,
      ...(ticket.externalXRef !== undefined && { externalXRef: ticket.externalXRef }),
      ...(ticket._info.dateEntered !== undefined && { dateEntered: ticket._info.dateEntered }),
      ...(ticket._info.enteredBy !== undefined && { enteredBy: ticket._info.enteredBy }),
      lastUpdated: ticket._info.lastUpdated,
      updatedBy: ticket._info.updatedBy,
      notes: state.listNotes(ticket.id).map((note) => ({
        text: note.text,
        detailDescriptionFlag: note.detailDescriptionFlag,
        internalAnalysisFlag: note.internalAnalysisFlag,
        resolutionFlag: note.resolutionFlag,
        createdBy: note.createdBy,
        dateCreated: note.dateCreated,
      })),
    });
  }
  return tickets;
}

function named<K extends string>(
  key: K,
  ref: { readonly name?: string | undefined } | undefined,
): { [P in K]?: string } {
  return (ref?.name === undefined ? {} : { [key]: ref.name }) as { [P in K]?: string };
}

/** The fixture with `tickets` added after its own. */
export function withTickets(
  fixture: SandboxFixture,
  tickets: readonly FixtureTicketInput[],
): SandboxFixture {
  return { ...fixture, tickets: [...(fixture.tickets ?? []), ...tickets] };
}

/**
 * The tickets saved in `file`; none when the file does not exist.
 *
 * @throws Error when the file exists but is not a saved-tickets file (the caller may start
 *   without them).
 */
export async function loadSavedTickets(file: string): Promise<FixtureTicketInput[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const saved = JSON.parse(text) as Partial<SavedTickets> | null;
  if (saved?.version !== 1 || !Array.isArray(saved.tickets)) {
    throw new Error(`${file} is not a saved sandbox tickets file (version 1)`);
  }
  return saved.tickets;
}

/** Writes `tickets` to `file` atomically (a temporary file renamed over it), mode 0600. */
export async function saveTickets(
  file: string,
  tickets: readonly FixtureTicketInput[],
): Promise<void> {
  const saved: SavedTickets = { version: 1, tickets: [...tickets] };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
