/**
 * Whether a company's ticket summaries fit ConnectWise's 100 characters (reference §3.5:
 * `MaxLengthField` for a longer summary). The bridge cuts a long summary rather than fail, so a
 * summary over the limit is a warning: the ticket is made, but its end is lost.
 *
 * Each summary template of the account's rules is rendered for a representative event of the
 * company: its longest known device name (from events received so far), a job "Nightly" and a
 * typical VSS error code.
 */
import type { Kysely } from 'kysely';
import { PROBLEM_EVENT_TYPES, type ProblemEventType } from '../domain/conditions.js';
import type { EventBody } from '../domain/event.js';
import type { Rules } from '../domain/rules.js';
import { previewSummary } from '../domain/ticket-content.js';
import type { Database } from '../storage/schema.js';

/** The job part of the representative event. */
export const REPRESENTATIVE_JOB = Object.freeze({
  id: 'job-1',
  name: 'Nightly',
  errorCode: 'VSS_0x8004230f',
});

/** A device name for companies that have sent no event yet. */
export const REPRESENTATIVE_DEVICE = 'SERVER-01';

/** One summary that would be cut. */
export interface LongSummary {
  /** The event type, or `storm` for the storm roll-up's summary. */
  readonly template: ProblemEventType | 'storm';
  /** The rendered summary before cutting. */
  readonly full: string;
  /** What the ticket would get. */
  readonly summary: string;
}

/** The longest device name (or id, when unnamed) each company has sent, by `companies.id`. */
export async function longestDeviceNames(
  db: Kysely<Database>,
  accountId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('devices')
    .select(['company_id', 'name', 'device_key'])
    .where('account_id', '=', accountId)
    .execute();
  const longest = new Map<string, string>();
  for (const row of rows) {
    const label = row.name ?? row.device_key;
    const known = longest.get(row.company_id);
    if (known === undefined || label.length > known.length) longest.set(row.company_id, label);
  }
  return longest;
}

/**
 * The summaries of `company` that would be longer than ConnectWise accepts, one per ticketing
 * event type (and the storm summary when storms are on).
 *
 * @example
 * longSummaries(rules, 'ACME', 'ACME-FILESERVER-01'); // [] when every summary fits
 */
export function longSummaries(rules: Rules, company: string, device: string): LongSummary[] {
  const event = (type: ProblemEventType): EventBody => ({
    type,
    occurredAt: '2026-12-03T10:00:00Z',
    company,
    device: { id: device, name: device },
    job: { ...REPRESENTATIVE_JOB },
    message: 'The backup job failed.',
  });
  const long: LongSummary[] = [];
  for (const type of PROBLEM_EVENT_TYPES) {
    const rule = rules.events[type];
    if (!rule.ticket) continue;
    const preview = previewSummary(rule.summaryTemplate, event(type));
    if (preview.cut) long.push({ template: type, full: preview.full, summary: preview.summary });
  }
  if (rules.storm.enabled) {
    const preview = previewSummary(rules.storm.summaryTemplate, event('backup.failed'));
    if (preview.cut) long.push({ template: 'storm', full: preview.full, summary: preview.summary });
  }
  return long;
}
