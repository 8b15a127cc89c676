/**
 * The words on a ticket: summary, initial description and the notes the bridge writes. Every text
 * is built from the incident's evidence so a technician can act without opening another tool.
 *
 * Times are shown in UTC; sizes in binary units; counts with thousands separators in a fixed
 * locale, so the same incident renders the same text on every machine.
 */
import { CONDITION_LABELS, EVENT_TYPE_INFO } from './conditions.js';
import type { ProblemEventType } from './conditions.js';
import type { EventBody } from './event.js';
import type {
  DeviceSnapshot,
  Incident,
  JobSnapshot,
  KeyCount,
  PendingNote,
  ProblemSample,
  RecoverySample,
  StormMember,
  TicketRef,
} from './incident-state.js';
import { renderTemplate } from './templates.js';
import type { TemplateView } from './templates.js';
import { formatDuration, formatUtc } from './time.js';

/** ConnectWise refuses longer summaries (connectwise-api.md §3.5, `MaxLengthField`). */
export const SUMMARY_MAX_LENGTH = 100;

/** Longest event message quoted in a note or description. */
const NOTE_MESSAGE_MAX = 500;
const DESCRIPTION_MESSAGE_MAX = 2000;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const numbers = new Intl.NumberFormat('en-US');

/**
 * One line of text: every run of whitespace, line breaks and control characters becomes one space.
 * ConnectWise turns CR/LF in a summary into spaces anyway (connectwise-api.md §4.1, "JSON bodies"),
 * so doing it here keeps the length we measure equal to the length it stores.
 */
export function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
}

/**
 * Cuts `text` to at most `max` UTF-16 code units (the unit ConnectWise counts in), ending in `…`.
 * Cuts between grapheme clusters, so never inside a surrogate pair or an emoji sequence, and at a
 * word boundary when one lies in the last 40 % of the text kept; trailing separators are dropped.
 *
 * @example cutText('Backup failed on a very long device name', 20) // 'Backup failed on a…'
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const budget = max - 1;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  if (end === 0) {
    // One grapheme longer than the budget (a pathological combining sequence): cut by code
    // points instead, which still never splits a surrogate pair.
    let out = '';
    for (const codePoint of text) {
      if (out.length + codePoint.length > budget) break;
      out += codePoint;
    }
    return `${out}…`;
  }
  let head = text.slice(0, end);
  if (!/\s/u.test(text.charAt(end))) {
    const lastSpace = head.lastIndexOf(' ');
    if (lastSpace >= Math.floor(budget * 0.6)) head = head.slice(0, lastSpace);
  }
  const trimmed = head.replace(/[\s,;:/(\-–—]+$/u, '');
  return `${trimmed === '' ? head : trimmed}…`;
}

/** A summary ConnectWise accepts: one line, at most 100 characters. */
export function cutSummary(text: string): string {
  return cutText(oneLine(text), SUMMARY_MAX_LENGTH);
}

/** Renders a summary template and cuts the result to a valid summary. */
export function renderSummary(template: string, view: TemplateView): string {
  return cutSummary(renderTemplate(template, view));
}

/** What a summary template makes of an event, for previews (console, doctor). */
export interface SummaryPreview {
  /** The rendered text before cutting, on one line. */
  full: string;
  /** What the ticket would get: at most 100 characters. */
  summary: string;
  /** True when `full` is longer than ConnectWise accepts and was cut. */
  cut: boolean;
}

/**
 * Renders `template` for one event as the first event of its incident, so an admin or the doctor
 * can see the summary a ticket would get and whether it would be cut.
 */
export function previewSummary(template: string, event: EventBody): SummaryPreview {
  const info = EVENT_TYPE_INFO[event.type];
  const at = formatUtc(event.occurredAt);
  const full = oneLine(
    renderTemplate(template, {
      company: event.company,
      device: event.device.name ?? event.device.id,
      deviceName: event.device.name ?? '',
      deviceId: event.device.id,
      os: event.device.os ?? '',
      jobName: event.job?.name ?? '',
      jobId: event.job?.id ?? '',
      errorCode: event.job?.errorCode ?? '',
      message: event.message ?? '',
      eventType: event.type,
      eventLabel: info.label,
      condition: info.condition,
      conditionLabel: CONDITION_LABELS[info.condition],
      count: 1,
      deviceCount: 1,
      firstSeen: at,
      lastSeen: at,
    }),
  );
  const summary = cutText(full, SUMMARY_MAX_LENGTH);
  return { full, summary, cut: summary !== full };
}

/** `1.0 MiB`, `512 B`, `3.2 TiB`: binary units, one decimal from KiB up. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `1,234`: a count with thousands separators. */
export function formatCount(count: number): string {
  return numbers.format(count);
}

/** `ACME-FS01 (dev-42)`, or `dev-42` when the device has no name. */
export function deviceLabel(device: DeviceSnapshot): string {
  return device.name && device.name !== device.id ? `${device.name} (${device.id})` : device.id;
}

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function quote(message: string | null, max: number): string | null {
  if (message === null) return null;
  const line = oneLine(message);
  return line === '' ? null : cutText(line, max);
}

/** Template variables for a device incident's summary. */
export function deviceTemplateView(incident: Incident, sample: ProblemSample): TemplateView {
  const device = incident.device ?? sample.device;
  const info = EVENT_TYPE_INFO[sample.type];
  const episode = incident.episode;
  return {
    company: incident.company,
    device: device.name ?? device.id,
    deviceName: device.name ?? '',
    deviceId: device.id,
    os: device.os ?? '',
    jobName: sample.job?.name ?? '',
    jobId: sample.job?.id ?? '',
    errorCode: sample.job?.errorCode ?? '',
    message: sample.message ?? '',
    eventType: sample.type,
    eventLabel: info.label,
    condition: incident.condition,
    conditionLabel: CONDITION_LABELS[incident.condition],
    count: streakOf(episode?.streak ?? [], sample.type) || (episode?.problemCount ?? 1),
    deviceCount: 1,
    firstSeen: formatUtc(episode?.firstSeenAt ?? sample.occurredAt),
    lastSeen: formatUtc(episode?.lastSeenAt ?? sample.occurredAt),
  };
}

/** Template variables for a storm ticket's summary. */
export function stormTemplateView(
  storm: Incident,
  trigger: ProblemSample,
  deviceCount: number,
): TemplateView {
  const episode = storm.episode;
  return {
    company: storm.company,
    device: '',
    deviceName: '',
    deviceId: '',
    os: '',
    jobName: '',
    jobId: '',
    errorCode: '',
    message: '',
    eventType: trigger.type,
    eventLabel: EVENT_TYPE_INFO[trigger.type].label,
    condition: storm.condition,
    conditionLabel: CONDITION_LABELS[storm.condition],
    count: episode?.problemCount ?? 1,
    deviceCount,
    firstSeen: formatUtc(episode?.firstSeenAt ?? trigger.occurredAt),
    lastSeen: formatUtc(episode?.lastSeenAt ?? trigger.occurredAt),
  };
}

function streakOf(streak: readonly KeyCount[], type: ProblemEventType): number {
  return streak.find((entry) => entry.key === type)?.count ?? 0;
}

function jobLines(job: JobSnapshot | null): string[] {
  if (job === null) return [];
  const lines: string[] = [];
  if (job.name !== undefined || job.id !== undefined) {
    lines.push(
      `Job: ${[job.name, job.id === undefined ? undefined : `(${job.id})`].filter(Boolean).join(' ')}`,
    );
  }
  if (job.errorCode !== undefined) lines.push(`Error code: ${job.errorCode}`);
  if (job.startedAt !== undefined || job.finishedAt !== undefined) {
    const parts: string[] = [];
    if (job.startedAt !== undefined) parts.push(`started ${formatUtc(job.startedAt)}`);
    if (job.finishedAt !== undefined) parts.push(`finished ${formatUtc(job.finishedAt)}`);
    if (job.startedAt !== undefined && job.finishedAt !== undefined) {
      parts.push(`took ${formatDuration(job.startedAt, job.finishedAt)}`);
    }
    lines.push(`Run: ${parts.join(', ')}`);
  }
  const size = sizeText(job);
  if (size !== null) lines.push(`Data: ${size}`);
  return lines;
}

function sizeText(job: JobSnapshot | null): string | null {
  if (job === null) return null;
  const parts: string[] = [];
  if (job.bytes !== undefined) parts.push(formatBytes(job.bytes));
  if (job.files !== undefined) parts.push(plural(job.files, 'file', 'files'));
  return parts.length === 0 ? null : parts.join(', ');
}

function previousTicketLine(previous: TicketRef | null): string[] {
  if (previous === null) return [];
  const id = previous.ticketId === null ? 'an earlier ticket' : `ticket #${previous.ticketId}`;
  const closed =
    previous.closedAt === null
      ? ''
      : previous.closedBy === 'technician'
        ? `, closed by a technician at ${formatUtc(previous.closedAt)} while the problem went on`
        : `, closed after recovery at ${formatUtc(previous.closedAt)}`;
  const deleted = previous.deleted ? ' (since deleted)' : '';
  return [`Follows ${id}${deleted}${closed}.`];
}

/**
 * The ticket's initial description: what happened, on which device, with the job's evidence, how
 * often and since when, and the earlier ticket when this one follows it.
 */
export function initialDescription(incident: Incident, previous: TicketRef | null): string {
  const episode = incident.episode;
  const last = episode?.last;
  if (episode === null || last === undefined) return '';
  const device = incident.device ?? last.device;
  const lines = [
    `${capitalize(EVENT_TYPE_INFO[last.type].label)} on ${deviceLabel(device)} for ${incident.company}.`,
    '',
    `Device: ${deviceLabel(device)}${device.os === null ? '' : `, ${device.os}`}`,
    ...jobLines(last.job),
  ];
  const message = quote(last.message, DESCRIPTION_MESSAGE_MAX);
  if (message !== null) lines.push(`Message: ${message}`);
  lines.push(
    `First seen: ${formatUtc(episode.firstSeenAt)}; last seen: ${formatUtc(episode.lastSeenAt)}; ` +
      `${plural(episode.problemCount, 'problem event', 'problem events')}${countsSuffix(episode.streak, episode.problemCount)}.`,
  );
  lines.push(...previousTicketLine(previous));
  lines.push('', `Opened by psabridge; it closes this ticket when the device recovers.`);
  return lines.join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ` (backup warning × 3)` when the types are worth listing; nothing for a single type.
function countsSuffix(byType: readonly KeyCount[], total: number): string {
  const listed = byType.filter((entry) => entry.count > 0);
  if (listed.length <= 1 && (listed[0]?.count ?? 0) === total) return '';
  return ` (${listed.map((entry) => `${labelOf(entry.key)} × ${formatCount(entry.count)}`).join(', ')})`;
}

function labelOf(type: string | null): string {
  return type !== null && Object.hasOwn(EVENT_TYPE_INFO, type)
    ? EVENT_TYPE_INFO[type as ProblemEventType].label
    : String(type);
}

function lastLine(sample: ProblemSample | null, withDevice: boolean): string[] {
  if (sample === null) return [];
  const job = sample.job;
  const where = withDevice ? ` on ${deviceLabel(sample.device)}` : '';
  const jobText = job?.name ?? job?.id;
  const parts = [
    `Last: ${EVENT_TYPE_INFO[sample.type].label}${where} at ${formatUtc(sample.occurredAt)}`,
  ];
  if (jobText !== undefined) parts.push(`job ${jobText}`);
  if (job?.errorCode !== undefined) parts.push(`error ${job.errorCode}`);
  const message = quote(sample.message, NOTE_MESSAGE_MAX);
  return [`${parts.join(', ')}${message === null ? '.' : `: ${message}`}`];
}

function codesLine(byErrorCode: readonly KeyCount[]): string[] {
  if (byErrorCode.length === 0) return [];
  const parts = byErrorCode.map(
    (entry) => `${entry.key ?? 'no code'} × ${formatCount(entry.count)}`,
  );
  return [`By error code: ${parts.join(', ')}.`];
}

/**
 * The note for repeats counted since the last note, e.g.
 * `3 more problem events since 2026-12-03 10:00 UTC (backup failed × 3).` followed by the counts
 * per error code and the last event with its message.
 */
export function repeatNoteText(pending: PendingNote): string {
  const types = pending.byType.map(
    (entry) => `${labelOf(entry.key)} × ${formatCount(entry.count)}`,
  );
  return [
    `${formatCount(pending.count)} more problem ${pending.count === 1 ? 'event' : 'events'} since ${formatUtc(pending.since)} (${types.join(', ')}).`,
    ...codesLine(pending.byErrorCode),
    ...lastLine(pending.last, false),
  ].join('\n');
}

function recoveryLine(sample: RecoverySample): string {
  const job = sample.job;
  const parts = [`${EVENT_TYPE_INFO[sample.type].label} at ${formatUtc(sample.occurredAt)}`];
  if (job !== null) {
    const name = [job.name, job.id === undefined ? undefined : `(${job.id})`]
      .filter(Boolean)
      .join(' ');
    if (name !== '') parts.push(`job ${name}`);
    if (job.startedAt !== undefined && job.finishedAt !== undefined) {
      parts.push(`ran ${formatUtc(job.startedAt)} to ${formatUtc(job.finishedAt)}`);
    }
    const size = sizeText(job);
    if (size !== null) parts.push(size);
  }
  return `- ${parts.join(', ')}`;
}

/**
 * The resolution note: the recoveries that closed the ticket with their evidence, how long the
 * problem lasted, and repeats not yet noted.
 */
export function resolutionNoteText(incident: Incident): string {
  const successes = incident.successes;
  const episode = incident.episode;
  const lines = [
    `Recovered: ${plural(successes.length, 'success', 'successes')} in a row, so psabridge closes this ticket.`,
    ...successes.map(recoveryLine),
  ];
  if (episode !== null) {
    const lastRecovery = successes.at(-1)?.occurredAt ?? episode.lastSeenAt;
    lines.push(
      `The problem lasted ${formatDuration(episode.firstSeenAt, lastRecovery)} (first seen ${formatUtc(episode.firstSeenAt)}, ` +
        `${plural(episode.problemCount, 'problem event', 'problem events')}).`,
    );
  }
  const pending = incident.pendingNote;
  if (pending !== null && pending.count > 0) {
    lines.push(`Not noted before: ${repeatNoteText(pending).replace(/\n/g, ' ')}`);
  }
  return lines.join('\n');
}

/** The note written when the bridge reopens a ticket because the problem came back. */
export function reopenNoteText(incident: Incident, sample: ProblemSample): string {
  const ticket = incident.ticket;
  const closed =
    ticket === null || ticket.closedAt === null
      ? 'The ticket was closed'
      : ticket.closedBy === 'technician'
        ? `A technician closed the ticket at ${formatUtc(ticket.closedAt)}`
        : `The ticket was closed after recovery at ${formatUtc(ticket.closedAt)}`;
  const message = quote(sample.message, NOTE_MESSAGE_MAX);
  return [
    `Reopened: ${EVENT_TYPE_INFO[sample.type].label} again on ${deviceLabel(sample.device)} at ${formatUtc(sample.occurredAt)}. ${closed}.`,
    ...jobLines(sample.job),
    ...(message === null ? [] : [`Message: ${message}`]),
  ].join('\n');
}

function memberLine(member: StormMember): string {
  const sample = member.lastProblem;
  const parts = [
    `- ${deviceLabel(sample.device)}: ${EVENT_TYPE_INFO[sample.type].label} at ${formatUtc(sample.occurredAt)}`,
  ];
  if (sample.job?.errorCode !== undefined) parts.push(`error ${sample.job.errorCode}`);
  const message = quote(sample.message, 120);
  return `${parts.join(', ')}${message === null ? '' : ` – ${message}`}`;
}

/** A device counted in a storm that keeps its own ticket. */
export interface OwnTicketDevice {
  device: DeviceSnapshot;
  ticketId: number | null;
  lastProblem: ProblemSample;
}

/**
 * The storm ticket's description: every device it carries, and the failing devices that keep
 * their own tickets (listed so the technician sees the whole outage in one place).
 */
export function stormDescription(
  storm: Incident,
  members: readonly StormMember[],
  ownTickets: readonly OwnTicketDevice[],
  previous: TicketRef | null,
): string {
  const total = members.length + ownTickets.length;
  const episode = storm.episode;
  const lines = [
    `${capitalize(CONDITION_LABELS[storm.condition])} on ${formatCount(total)} devices of ${storm.company} at once` +
      (episode === null ? '.' : ` (since ${formatUtc(episode.firstSeenAt)}).`),
    'One ticket for all of them; devices that fail later are added as notes.',
    '',
    ...members.map(memberLine),
  ];
  if (ownTickets.length > 0) {
    lines.push('', 'Also failing, with tickets of their own:');
    for (const own of ownTickets) {
      const ticket = own.ticketId === null ? 'own ticket' : `ticket #${own.ticketId}`;
      lines.push(
        `- ${deviceLabel(own.device)} (${ticket}): ${EVENT_TYPE_INFO[own.lastProblem.type].label} at ${formatUtc(own.lastProblem.occurredAt)}`,
      );
    }
  }
  lines.push(...previousTicketLine(previous));
  lines.push('', 'psabridge closes this ticket when every device listed above recovers.');
  return lines.join('\n');
}

/** The storm note for devices that joined and repeats from member devices since the last note. */
export function stormNoteText(storm: Incident, pending: PendingNote): string {
  const lines: string[] = [];
  if (pending.joined.length > 0) {
    lines.push(
      `${plural(pending.joined.length, 'more device', 'more devices')} affected:`,
      ...pending.joined.map(memberLine),
    );
  }
  const repeats = pending.count - pending.joined.length;
  if (repeats > 0) {
    lines.push(
      `${plural(repeats, 'more problem event', 'more problem events')} from devices already listed since ${formatUtc(pending.since)}.`,
    );
    lines.push(...codesLine(pending.byErrorCode));
  }
  const active = storm.members.filter((member) => member.recoveredAt === null).length;
  lines.push(`Now ${plural(active, 'device', 'devices')} affected on this ticket.`);
  return lines.join('\n');
}

/** The storm's resolution note: each device with the recovery that ended its problem. */
export function stormResolutionNoteText(storm: Incident): string {
  const lines = [
    `Recovered: all ${formatCount(storm.members.length)} devices of this ticket recovered, so psabridge closes it.`,
  ];
  for (const member of storm.members) {
    const recovery = member.recovery;
    lines.push(
      recovery === null
        ? `- ${member.deviceName ?? member.deviceId}: recovered`
        : `${recoveryLine(recovery).replace(/^- /, `- ${deviceLabel(recovery.device)}: `)}`,
    );
  }
  const episode = storm.episode;
  if (episode !== null) {
    lines.push(
      `First seen ${formatUtc(episode.firstSeenAt)}; ${plural(episode.problemCount, 'problem event', 'problem events')}.`,
    );
  }
  return lines.join('\n');
}

/** The storm note when the bridge reopens a storm ticket. */
export function stormReopenNoteText(storm: Incident, sample: ProblemSample): string {
  const active = storm.members.filter((member) => member.recoveredAt === null);
  return [
    `Reopened: ${EVENT_TYPE_INFO[sample.type].label} on ${deviceLabel(sample.device)} at ${formatUtc(sample.occurredAt)}; devices affected now:`,
    ...active.map(memberLine),
  ].join('\n');
}
